import { describe, expect, it } from 'vitest';
import { studentTCdf, studentTQuantile } from './student-t-quantile';

describe('studentTQuantile', () => {
  it('matches the closed form for 1 degree of freedom (Cauchy): tan(π(p − ½))', () => {
    for (const p of [0.6, 0.9, 0.975, 0.995]) {
      expect(studentTQuantile(p, 1)).toBeCloseTo(Math.tan(Math.PI * (p - 0.5)), 8);
    }
    expect(studentTQuantile(0.975, 1)).toBeCloseTo(12.706204736, 7);
  });

  it('matches the closed form for 2 degrees of freedom: (2p − 1) / √(2p(1 − p))', () => {
    for (const p of [0.55, 0.8, 0.975, 0.999]) {
      expect(studentTQuantile(p, 2)).toBeCloseTo((2 * p - 1) / Math.sqrt(2 * p * (1 - p)), 9);
    }
    expect(studentTQuantile(0.975, 2)).toBeCloseTo(4.30265273, 7);
  });

  it('matches printed two-sided 95% table values', () => {
    const table: [number, number][] = [
      [3, 3.182446],
      [4, 2.776445],
      [9, 2.262157],
      [30, 2.042272],
      [1000, 1.962339],
    ];
    for (const [df, t] of table) expect(studentTQuantile(0.975, df)).toBeCloseTo(t, 5);
  });

  it('is antisymmetric and zero at the median', () => {
    expect(studentTQuantile(0.5, 5)).toBe(0);
    expect(studentTQuantile(0.025, 4)).toBeCloseTo(-2.776445, 5);
  });

  it('has a CDF equal to ½ + atan(t)/π for 1 degree of freedom', () => {
    for (const t of [-3, -0.5, 0, 0.7, 4]) expect(studentTCdf(t, 1)).toBeCloseTo(0.5 + Math.atan(t) / Math.PI, 10);
  });

  it('rejects probabilities outside (0, 1) and non-positive degrees of freedom', () => {
    expect(() => studentTQuantile(1, 3)).toThrow(/expected a probability p in \(0, 1\), got 1/);
    expect(() => studentTQuantile(0.9, 0)).toThrow(/degrees of freedom df > 0, got 0/);
  });
});
