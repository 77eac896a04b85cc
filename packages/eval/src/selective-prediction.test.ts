import { describe, expect, it } from 'vitest';
import { selectivePrediction } from './selective-prediction';

describe('selectivePrediction (risk–coverage, AURC)', () => {
  it('matches hand-computed curves', () => {
    const r = selectivePrediction([0.9, 0.8], [true, false]);
    expect(r.curve).toEqual([
      { coverage: 0.5, risk: 0 },
      { coverage: 1, risk: 0.5 },
    ]);
    // (risk@1 + risk@2) / 2 = (0 + ½) / 2
    expect(r.aurc).toBe(0.25);
    // the confident item wrong: (1 + ½) / 2
    expect(selectivePrediction([0.9, 0.8], [false, true]).aurc).toBe(0.75);
  });

  it('charges tied confidences their expected risk over every order', () => {
    const r = selectivePrediction([0.5, 0.5], [1, 0]);
    expect(r.curve).toEqual([{ coverage: 1, risk: 0.5 }]);
    // k = 1: ½ error expected; k = 2: 1 error in 2
    expect(r.aurc).toBe(0.5);
  });

  it('refuses mismatched lengths', () => {
    expect(() => selectivePrediction([0.5], [true, false])).toThrow(/one correctness flag per item \(1\), got 2/);
  });
});
