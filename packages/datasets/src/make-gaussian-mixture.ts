import { SeededRandom } from '@empirical-bregman/common';
import { DatasetError } from './dataset-error';
import { type LabelledData, validateLabelledData } from './labelled-data';

/** Options of {@link makeGaussianMixture}. */
export interface GaussianMixtureOptions {
  /** Number of classes K. Default 4. */
  readonly numClasses?: number;
  /** Dimension d. Default 2. */
  readonly dim?: number;
  /** Samples per class. Default 100. */
  readonly perClass?: number;
  /** Standard deviation of the class means around the origin, μ_k ~ N(0, separation²·I). Default 3. */
  readonly separation?: number;
  /** Within-class standard deviation σ, x ~ N(μ_k, σ²·I). Default 1. */
  readonly std?: number;
  /** Seed. Default 0. */
  readonly seed?: number | string;
}

/** A Gaussian mixture with its true class means. */
export interface GaussianMixtureData extends LabelledData {
  /** μ_k, row-major K × d. */
  readonly means: Float32Array;
}

/**
 * K Gaussian classes in d dimensions with a known answer: μ_k ~ N(0, separation²·I), x ~ N(μ_k, σ²·I). The Bayes
 * classifier is the nearest mean in Euclidean distance (equal isotropic covariances), so a learned divergence should
 * recover squared Euclidean distance here. Samples are class-major (all of class 0, then class 1, …); deterministic
 * for a seed.
 */
export function makeGaussianMixture(options: GaussianMixtureOptions = {}): GaussianMixtureData {
  const k = options.numClasses ?? 4;
  const d = options.dim ?? 2;
  const perClass = options.perClass ?? 100;
  const separation = options.separation ?? 3;
  const std = options.std ?? 1;
  for (const [name, v] of [
    ['numClasses', k],
    ['dim', d],
    ['perClass', perClass],
  ] as const) {
    if (!Number.isInteger(v) || v < 1) {
      throw new DatasetError('makeGaussianMixture', 'INVALID_ARGUMENT', `expected an integer ${name} >= 1, got ${v}`);
    }
  }
  if (!(separation >= 0 && std > 0)) {
    throw new DatasetError(
      'makeGaussianMixture',
      'INVALID_ARGUMENT',
      `expected separation >= 0 and std > 0, got ${separation} and ${std}`,
    );
  }
  const rng = new SeededRandom(options.seed ?? 0);
  const means = rng.normalArray(k * d, 0, separation);
  const features = new Float32Array(k * perClass * d);
  const labels = new Int32Array(k * perClass);
  for (let c = 0; c < k; c++) {
    for (let j = 0; j < perClass; j++) {
      const row = c * perClass + j;
      labels[row] = c;
      for (let t = 0; t < d; t++) features[row * d + t] = means[c * d + t] + rng.normal(0, std);
    }
  }
  const data = validateLabelledData(
    { name: 'gaussian-mixture', features, labels, sampleShape: [d], numClasses: k },
    'makeGaussianMixture',
  );
  return { ...data, means };
}
