import { SeededRandom } from '@empirical-bregman/common';
import { DatasetError } from './dataset-error';
import { type LabelledData, validateLabelledData } from './labelled-data';

/** Options of {@link makeGaussianSets}; the defaults are Deep Divergence Learning's Gaussian clustering task. */
export interface GaussianSetsOptions {
  /** Circle radius of each class. Default [0.2, 0.6, 1.0]. */
  readonly radii?: readonly number[];
  /** Number of sets (distributions). Default 500 (the paper's training part; its test part is 200). */
  readonly sets?: number;
  /** Points drawn from each distribution. Default 50. */
  readonly pointsPerSet?: number;
  /** Variance v of each distribution N(μ, v·I). Default 0.1 (standard deviation √0.1 ≈ 0.316 per coordinate). */
  readonly pointVariance?: number;
  /** Standard deviation of the Gaussian noise added to each mean μ, per coordinate. Default 0.05. */
  readonly meanNoise?: number;
  /** Seed. Default 0. */
  readonly seed?: number | string;
}

/** Sets of points with the distribution each was drawn from. */
export interface GaussianSetsData extends LabelledData {
  /** The mean μ of each set's distribution (noise included), row-major sets × 2. */
  readonly centres: Float32Array;
  /** Where μ was on its circle before the noise, row-major sets × 2 (‖·‖ = the class's radius). */
  readonly circleCentres: Float32Array;
}

/**
 * The Gaussian clustering task of Deep Divergence Learning (Cilingir, Manzelli & Kulis, ICML 2020, §5.1): each
 * sample is a *distribution*, given as a set of `pointsPerSet` points drawn from N(μ, v·I) in ℝ². Its class c is
 * drawn uniformly from the circles; μ = r_c·(cos θ, sin θ) + ε with θ ~ U[0, 2π) and ε ~ N(0, 0.05²·I). Sample shape
 * [pointsPerSet, 2]; labels are circle indices.
 *
 * With v = 0.1 a single point says little about its circle (σ ≈ 0.32 against radii 0.4 apart): the sets must be
 * compared as distributions. This is not `makeConcentricCircles`, whose samples are single points with σ = 0.05.
 * Deterministic for a seed; use two seeds for a training and a test part.
 *
 * ```ts
 * const train = makeGaussianSets({ sets: 500, seed: '1/train' });
 * train.sampleShape; // [50, 2]
 * ```
 */
export function makeGaussianSets(options: GaussianSetsOptions = {}): GaussianSetsData {
  const component = 'makeGaussianSets';
  const radii = options.radii ?? [0.2, 0.6, 1.0];
  const sets = options.sets ?? 500;
  const points = options.pointsPerSet ?? 50;
  const variance = options.pointVariance ?? 0.1;
  const meanNoise = options.meanNoise ?? 0.05;
  if (radii.length < 1 || !radii.every((r) => r >= 0 && Number.isFinite(r)))
    throw new DatasetError(component, 'INVALID_ARGUMENT', `expected finite radii >= 0, got [${radii.join(', ')}]`);
  if (!Number.isInteger(sets) || sets < 1 || !Number.isInteger(points) || points < 1)
    throw new DatasetError(
      component,
      'INVALID_ARGUMENT',
      `expected integers sets, pointsPerSet >= 1, got ${sets}, ${points}`,
    );
  if (!(variance >= 0 && Number.isFinite(variance)) || !(meanNoise >= 0 && Number.isFinite(meanNoise)))
    throw new DatasetError(
      component,
      'INVALID_ARGUMENT',
      `expected finite pointVariance, meanNoise >= 0, got ${variance}, ${meanNoise}`,
    );
  const rng = new SeededRandom(options.seed ?? 0);
  const std = Math.sqrt(variance);
  const features = new Float32Array(sets * points * 2);
  const centres = new Float32Array(sets * 2);
  const circleCentres = new Float32Array(sets * 2);
  const labels = new Int32Array(sets);
  for (let s = 0; s < sets; s++) {
    const c = rng.int(radii.length);
    const theta = rng.uniform(0, 2 * Math.PI);
    const cx = radii[c] * Math.cos(theta);
    const cy = radii[c] * Math.sin(theta);
    const mx = cx + rng.normal(0, meanNoise);
    const my = cy + rng.normal(0, meanNoise);
    labels[s] = c;
    circleCentres[2 * s] = cx;
    circleCentres[2 * s + 1] = cy;
    centres[2 * s] = mx;
    centres[2 * s + 1] = my;
    for (let p = 0; p < points; p++) {
      features[(s * points + p) * 2] = mx + rng.normal(0, std);
      features[(s * points + p) * 2 + 1] = my + rng.normal(0, std);
    }
  }
  const data = validateLabelledData(
    {
      name: 'gaussian-sets',
      features,
      labels,
      sampleShape: [points, 2],
      numClasses: radii.length,
      classNames: radii.map((r) => `radius ${r}`),
    },
    component,
  );
  return { ...data, centres, circleCentres };
}
