import { describe, expect, it } from 'vitest';
import { makeGaussianMixture } from './make-gaussian-mixture';

describe('makeGaussianMixture', () => {
  it('draws K classes around their means with the requested spread, deterministically', () => {
    const g = makeGaussianMixture({ numClasses: 3, dim: 5, perClass: 2000, separation: 4, std: 0.5, seed: 1 });
    expect(g.labels.length).toBe(6000);
    expect(g.sampleShape).toEqual([5]);
    for (let c = 0; c < 3; c++) {
      // Sample mean within 4σ/√n of μ_c, sample variance near σ² = 0.25.
      for (let t = 0; t < 5; t++) {
        let s = 0;
        let s2 = 0;
        for (let j = 0; j < 2000; j++) {
          const v = g.features[(c * 2000 + j) * 5 + t];
          s += v;
          s2 += v * v;
        }
        const mean = s / 2000;
        expect(Math.abs(mean - g.means[c * 5 + t])).toBeLessThan((4 * 0.5) / Math.sqrt(2000));
        expect(s2 / 2000 - mean * mean).toBeGreaterThan(0.25 * 0.9);
        expect(s2 / 2000 - mean * mean).toBeLessThan(0.25 * 1.1);
      }
    }
    const again = makeGaussianMixture({ numClasses: 3, dim: 5, perClass: 2000, separation: 4, std: 0.5, seed: 1 });
    expect(again.features).toEqual(g.features);
    expect(makeGaussianMixture({ seed: 2 }).features).not.toEqual(makeGaussianMixture({ seed: 3 }).features);
  });
});
