import { describe, expect, it } from 'vitest';
import { Standardizer } from './standardizer';

describe('Standardizer', () => {
  // Columns: [1, 2, 3, 4] (mean 2.5, population σ = √1.25), [10, 10, 10, 10] (constant).
  const x = Float32Array.from([1, 10, 2, 10, 3, 10, 4, 10]);

  it('maps each column to zero mean and unit population variance, constant columns to 0', () => {
    const s = Standardizer.fit(x, 2);
    expect(Array.from(s.mean)).toEqual([2.5, 10]);
    expect(s.std[0]).toBeCloseTo(Math.sqrt(1.25), 12);
    expect(s.std[1]).toBe(1);
    const z = s.transform(x);
    const expected = [1, 2, 3, 4].map((v) => (v - 2.5) / Math.sqrt(1.25));
    for (let i = 0; i < 4; i++) {
      expect(z[2 * i]).toBeCloseTo(expected[i], 6);
      expect(z[2 * i + 1]).toBe(0);
    }
    const back = s.inverseTransform(z);
    for (let i = 0; i < x.length; i++) expect(back[i]).toBeCloseTo(x[i], 5);
  });

  it('fits on the given rows only', () => {
    const s = Standardizer.fit(x, 2, [0, 1]);
    expect(s.mean[0]).toBe(1.5);
    expect(s.std[0]).toBe(0.5);
    expect(() => Standardizer.fit(x, 3)).toThrow(/multiple of dim = 3, got 8/);
  });
});
