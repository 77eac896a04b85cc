import { describe, expect, it } from 'vitest';
import { makeGaussianSets } from './make-gaussian-sets';
import { expectDatasetError } from './testing/expect-dataset-error';

/** Sample mean and (unbiased) sample variance. */
function moments(values: readonly number[]): { mean: number; variance: number } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1);
  return { mean, variance };
}

// Tolerances are 5 standard errors of each statistic for the sample size used: for n draws of N(0, σ²) the sample
// mean has SE σ/√n and the sample variance SE σ²·√(2/(n − 1)); a class count of n sets has SE √(n·p·(1 − p)).
describe('makeGaussianSets', () => {
  const sets = 3000;
  const points = 50;
  const data = makeGaussianSets({ sets, seed: 7 });

  it('has the published shape: sets of 50 points in ℝ², three circle classes drawn uniformly', () => {
    expect(data.sampleShape).toEqual([points, 2]);
    expect(data.features.length).toBe(sets * points * 2);
    expect(data.numClasses).toBe(3);
    const counts = [0, 0, 0];
    for (const label of data.labels) counts[label] += 1;
    const se = Math.sqrt(sets * (1 / 3) * (2 / 3));
    for (const count of counts) expect(Math.abs(count - sets / 3)).toBeLessThan(5 * se);
  });

  it('puts each mean on its class circle (radii 0.2, 0.6, 1.0) plus N(0, 0.05²) noise per coordinate', () => {
    const radii = [0.2, 0.6, 1.0];
    const noise: number[] = [];
    for (let s = 0; s < sets; s++) {
      const r = Math.hypot(data.circleCentres[2 * s], data.circleCentres[2 * s + 1]);
      expect(r).toBeCloseTo(radii[data.labels[s]], 6);
      for (const k of [0, 1]) noise.push(data.centres[2 * s + k] - data.circleCentres[2 * s + k]);
    }
    const { mean, variance } = moments(noise);
    const n = noise.length;
    expect(Math.abs(mean)).toBeLessThan((5 * 0.05) / Math.sqrt(n));
    expect(Math.abs(variance - 0.05 ** 2)).toBeLessThan(5 * 0.05 ** 2 * Math.sqrt(2 / (n - 1)));
  });

  it('draws the points of a set from N(μ, 0.1·I): per-coordinate variance 0.1 around μ, set means within 0.1/50', () => {
    const offsets: number[] = [];
    const setMeanErrors: number[] = [];
    for (let s = 0; s < sets; s++) {
      for (const k of [0, 1]) {
        let sum = 0;
        for (let p = 0; p < points; p++) {
          const offset = data.features[(s * points + p) * 2 + k] - data.centres[2 * s + k];
          offsets.push(offset);
          sum += offset;
        }
        setMeanErrors.push(sum / points);
      }
    }
    const spread = moments(offsets);
    const n = offsets.length;
    expect(Math.abs(spread.mean)).toBeLessThan((5 * Math.sqrt(0.1)) / Math.sqrt(n));
    expect(Math.abs(spread.variance - 0.1)).toBeLessThan(5 * 0.1 * Math.sqrt(2 / (n - 1)));
    // The mean of a set of 50 is N(μ, 0.1/50): what pooling a set recovers.
    const pooled = moments(setMeanErrors);
    const m = setMeanErrors.length;
    expect(Math.abs(pooled.variance - 0.1 / points)).toBeLessThan(5 * (0.1 / points) * Math.sqrt(2 / (m - 1)));
  });

  it('is deterministic for a seed, differs between seeds, and rejects bad options in one line', async () => {
    const a = makeGaussianSets({ sets: 4, pointsPerSet: 3, seed: 'x' });
    expect(makeGaussianSets({ sets: 4, pointsPerSet: 3, seed: 'x' }).features).toEqual(a.features);
    expect(makeGaussianSets({ sets: 4, pointsPerSet: 3, seed: 'y' }).features).not.toEqual(a.features);
    expect(a.sampleShape).toEqual([3, 2]);
    await expectDatasetError(
      () => makeGaussianSets({ sets: 0 }),
      'INVALID_ARGUMENT',
      /^makeGaussianSets: expected integers sets, pointsPerSet >= 1, got 0, 50$/,
    );
    await expectDatasetError(
      () => makeGaussianSets({ pointVariance: -1 }),
      'INVALID_ARGUMENT',
      /expected finite pointVariance, meanNoise >= 0, got -1, 0.05$/,
    );
    await expectDatasetError(
      () => makeGaussianSets({ radii: [] }),
      'INVALID_ARGUMENT',
      /expected finite radii >= 0, got \[\]$/,
    );
  });
});
