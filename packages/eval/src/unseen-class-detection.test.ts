import { describe, expect, it } from 'vitest';
import { fprAtTpr, rocAuc } from './unseen-class-detection';

describe('rocAuc (ties count ½, as scikit-learn)', () => {
  it('matches hand counts', () => {
    // pairs (3,1) (3,2) (2,1) win, (2,2) ties
    expect(rocAuc([3, 2], [1, 2])).toBe(0.875);
    expect(rocAuc([5, 6], [1, 2, 3])).toBe(1);
    expect(rocAuc([1, 2], [5, 6, 7])).toBe(0);
    // every score tied (a max-affine head's exact zeros): chance
    expect(rocAuc([0, 0], [0, 0, 0])).toBe(0.5);
  });

  it('refuses empty sides and NaN scores', () => {
    expect(() => rocAuc([], [1])).toThrow(/expected non-empty positives/);
    expect(() => rocAuc([1], [Number.NaN])).toThrow(/got NaN at 0/);
  });
});

describe('fprAtTpr', () => {
  it('takes the first threshold reaching the TPR, ties included', () => {
    // t = 3 keeps 3 of 4 positives; negatives ≥ 3: {4.5}
    expect(fprAtTpr([5, 4, 3, 2], [4.5, 1], 0.75)).toBe(0.5);
    // 20 positives 1..20: 95% needs t = 2; negatives ≥ 2: {2, 10}
    expect(
      fprAtTpr(
        Array.from({ length: 20 }, (_, i) => i + 1),
        [0, 1, 2, 10],
      ),
    ).toBe(0.5);
    // all tied: every negative at the threshold counts
    expect(fprAtTpr([1, 1, 1, 1], [1, 0])).toBe(0.5);
  });
});
