import { describe, expect, it } from 'vitest';
import { meanConfidenceInterval } from './mean-confidence-interval';

describe('meanConfidenceInterval', () => {
  it('gives mean ± t_{0.975,2}·s/√3 for three seeds (hand-computed)', () => {
    // x̄ = 0.82, s = √((0.02² + 0 + 0.02²)/2) = 0.02, t_{0.975,2} = 4.3026527, half-width = 4.3026527 · 0.02 / √3.
    const ci = meanConfidenceInterval([0.8, 0.82, 0.84]);
    expect(ci.n).toBe(3);
    expect(ci.mean).toBeCloseTo(0.82, 12);
    expect(ci.std).toBeCloseTo(0.02, 12);
    expect(ci.halfWidth).toBeCloseTo(0.0496828, 6);
  });

  it('uses the Cauchy quantile 12.706 for two seeds', () => {
    // x̄ = 2, s = √2, half-width = 12.7062047 · √2 / √2.
    const ci = meanConfidenceInterval([1, 3]);
    expect(ci.halfWidth).toBeCloseTo(12.7062047, 6);
  });

  it('has no interval for one value and NaN mean for none', () => {
    expect(meanConfidenceInterval([0.7])).toEqual({ mean: 0.7, halfWidth: null, std: null, n: 1 });
    expect(meanConfidenceInterval([]).mean).toBeNaN();
  });

  it('leaves non-finite values out', () => {
    const ci = meanConfidenceInterval([0.8, Number.NaN, 0.84, Number.POSITIVE_INFINITY, 0.82]);
    expect(ci.n).toBe(3);
    expect(ci.mean).toBeCloseTo(0.82, 12);
  });

  it('widens with the confidence level', () => {
    const ci90 = meanConfidenceInterval([0.8, 0.82, 0.84], 0.9);
    // t_{0.95,2} = 2.9199856
    expect(ci90.halfWidth).toBeCloseTo((2.9199856 * 0.02) / Math.sqrt(3), 6);
  });
});
