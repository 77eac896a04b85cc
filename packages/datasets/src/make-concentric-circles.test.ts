import { describe, expect, it } from 'vitest';
import { makeConcentricCircles } from './make-concentric-circles';

describe('makeConcentricCircles', () => {
  it('puts the Gaussian means of class c on the circle of radius 0.2, 0.6, 1.0', () => {
    const data = makeConcentricCircles({ perClass: 300, std: 0.02, seed: 4 });
    expect(data.labels.length).toBe(900);
    expect(data.numClasses).toBe(3);
    const radii = [0.2, 0.6, 1.0];
    for (let i = 0; i < 900; i++) {
      const r = Math.hypot(data.centres[2 * i], data.centres[2 * i + 1]);
      expect(r).toBeCloseTo(radii[data.labels[i]], 6);
      // With σ = 0.02 the point is within 5σ of its mean.
      const dx = data.features[2 * i] - data.centres[2 * i];
      const dy = data.features[2 * i + 1] - data.centres[2 * i + 1];
      expect(Math.hypot(dx, dy)).toBeLessThan(0.1);
    }
    const sets = makeConcentricCircles({ perClass: 5, pointsPerGaussian: 16, seed: 4 });
    expect(sets.sampleShape).toEqual([16, 2]);
    expect(sets.features.length).toBe(15 * 16 * 2);
  });
});
