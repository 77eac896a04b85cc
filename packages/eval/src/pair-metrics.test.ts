import { describe, expect, it } from 'vitest';
import { EvaluationError } from './evaluation-error';
import { pairMetrics } from './pair-metrics';

describe('pairMetrics', () => {
  it('matches hand-computed ROC-AUC and AP without ties', () => {
    // Sorted by D: 0.1 (+), 0.35 (−), 0.4 (+), 0.8 (−).
    const m = pairMetrics(new Float32Array([0.1, 0.35, 0.4, 0.8]), new Uint8Array([1, 0, 1, 0]));
    // Positive pairs ranked before negatives: (0.1 < 0.35, 0.1 < 0.8, 0.4 < 0.8) = 3 of 4.
    expect(m.rocAuc).toBeCloseTo(3 / 4, 12);
    // AP = ½·1 + ½·(2/3).
    expect(m.averagePrecision).toBeCloseTo(0.5 + 0.5 * (2 / 3), 12);
    expect(m.numPositive).toBe(2);
    expect(m.numNegative).toBe(2);
  });

  it('counts ties as ½ in ROC-AUC and as one threshold in AP', () => {
    // D: 0.2 (+), 0.5 (+), 0.5 (−), 0.9 (−), 0.9 (+).
    const m = pairMetrics([0.2, 0.5, 0.5, 0.9, 0.9], new Uint8Array([1, 1, 0, 0, 1]));
    // Pairs (p, n): 0.2 beats both (2); 0.5 vs 0.5 tie (½), beats 0.9 (1); 0.9 vs 0.5 loses (0), vs 0.9 tie (½).
    expect(m.rocAuc).toBeCloseTo((2 + 1.5 + 0.5) / 6, 12);
    // Thresholds: ≤0.2 → TP1 FP0 (R 1/3, P 1); ≤0.5 → TP2 FP1 (R 2/3, P 2/3); ≤0.9 → TP3 FP2 (R 1, P 3/5).
    expect(m.averagePrecision).toBeCloseTo((1 / 3) * 1 + (1 / 3) * (2 / 3) + (1 / 3) * (3 / 5), 12);
  });

  it('is NaN when undefined, and rejects bad input', () => {
    expect(pairMetrics([1, 2], new Uint8Array([0, 0])).rocAuc).toBeNaN();
    expect(pairMetrics([1, 2], new Uint8Array([0, 0])).averagePrecision).toBeNaN();
    expect(pairMetrics([1, 2], new Uint8Array([1, 1])).averagePrecision).toBe(1);
    expect(() => pairMetrics([1, 2], new Uint8Array([1]))).toThrow(EvaluationError);
    expect(() => pairMetrics([], new Uint8Array([]))).toThrow(/at least one pair/);
    expect(() => pairMetrics([Number.NaN], new Uint8Array([1]))).toThrow(/NaN/);
  });
});
