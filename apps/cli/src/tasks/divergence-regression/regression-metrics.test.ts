import { describe, expect, it } from 'vitest';
import { asymmetryAgreement, meanSquaredError, regressionMetrics, spearmanRho, variance } from './regression-metrics';

describe('regression metrics', () => {
  it('MSE and variance by hand', () => {
    expect(meanSquaredError([1, 2, 3], [1, 4, 0])).toBeCloseTo((0 + 4 + 9) / 3, 14);
    expect(variance([1, 2, 3, 6])).toBeCloseTo(3.5, 14); // mean 3: (4 + 1 + 0 + 9) / 4
    expect(() => meanSquaredError([1], [1, 2])).toThrow(/expected non-empty arrays of one length, got lengths 1, 2/);
  });

  it('Spearman ρ by hand, with ties at their mean rank', () => {
    // One swap of neighbours in 4: ρ = 1 − 6·Σd²/(n(n² − 1)) = 1 − 12/60 = 0.8.
    expect(spearmanRho([1, 2, 3, 4], [10, 30, 20, 40])).toBeCloseTo(0.8, 14);
    expect(spearmanRho([1, 2, 3], [3, 2, 1])).toBeCloseTo(-1, 14);
    // Ranks [1.5, 1.5, 3] vs [1, 2, 3]: covariance 1.5, norms √1.5 and √2 → 1.5/√3.
    expect(spearmanRho([5, 5, 9], [1, 2, 3])).toBeCloseTo(1.5 / Math.sqrt(3), 14);
    expect(spearmanRho([1, 1, 1], [1, 2, 3])).toBeNaN();
  });

  it('asymmetry agreement: signs of D(x, y) − D(y, x), ties ½', () => {
    // Pair 1 agrees, pair 2 disagrees, pair 3 is a tie of the head (½), pair 4 agrees.
    expect(asymmetryAgreement([2, 1, 5, 0.1], [1, 2, 5, 0.3], [3, 4, 1, 0], [1, 3, 2, 1])).toBeCloseTo(2.5 / 4, 14);
    // A symmetric head scores exactly 0.5 (float round-off below the tie tolerance included).
    expect(asymmetryAgreement([1, 2], [1 + 1e-7, 2], [1, 2], [2, 1])).toBe(0.5);
  });

  it('relMse is MSE / Var(t)', () => {
    const m = regressionMetrics([1, 2, 3, 6], [1, 2, 3, 6], [1, 2, 3, 4], [1, 2, 3, 4]);
    expect(m.mse).toBeCloseTo(1, 14);
    expect(m.relMse).toBeCloseTo(1 / 1.25, 14);
    expect(m.spearmanRho).toBeCloseTo(1, 14);
    expect(m.asymmetryAgreement).toBe(0.5);
  });
});
