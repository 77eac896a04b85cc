import { SeededRandom } from '@empirical-bregman/common';
import { DatasetError } from './dataset-error';
import { type LabelledData, validateLabelledData } from './labelled-data';

/** Options of {@link makeConcentricCircles}. */
export interface ConcentricCirclesOptions {
  /** Circle radius of each class. Default [0.2, 0.6, 1.0] (Deep Divergence Learning). */
  readonly radii?: readonly number[];
  /** Gaussians (samples) per class. Default 200. */
  readonly perClass?: number;
  /** Points drawn from each Gaussian; each sample is a `[pointsPerGaussian, 2]` set. Default 1. */
  readonly pointsPerGaussian?: number;
  /** Standard deviation σ of each Gaussian. Default 0.05. */
  readonly std?: number;
  /** Seed. Default 0. */
  readonly seed?: number | string;
}

/** Concentric-circle data with each sample's Gaussian mean. */
export interface ConcentricCirclesData extends LabelledData {
  /** The mean μ of each sample's Gaussian, row-major N × 2. */
  readonly centres: Float32Array;
}

/**
 * A point-level variant of Deep Divergence Learning's clustering task (Cilingir, Manzelli & Kulis, ICML 2020): 3
 * classes of 2-D Gaussians whose means lie on concentric circles of radii 0.2, 0.6 and 1.0, each sample by default a
 * single point with σ = 0.05 — easier than the published task, whose samples are sets of 50 points with variance
 * 0.1 and noisy means (that one is `makeGaussianSets`). Each sample of class c is one Gaussian
 * N(μ, σ²·I) with μ = r_c·(cos θ, sin θ), θ ~ U[0, 2π), represented by `pointsPerGaussian` points drawn from it
 * (sample shape [pointsPerGaussian, 2]; with the default 1 the sample is a single point). The classes are not
 * linearly separable and not separable by distance to a class centroid, but are by the norm ‖μ‖: a good learned
 * divergence must capture the radial structure. Class-major order; deterministic for a seed.
 */
export function makeConcentricCircles(options: ConcentricCirclesOptions = {}): ConcentricCirclesData {
  const radii = options.radii ?? [0.2, 0.6, 1.0];
  const perClass = options.perClass ?? 200;
  const points = options.pointsPerGaussian ?? 1;
  const std = options.std ?? 0.05;
  if (radii.length < 1 || !radii.every((r) => r >= 0 && Number.isFinite(r))) {
    throw new DatasetError(
      'makeConcentricCircles',
      'INVALID_ARGUMENT',
      `expected finite radii >= 0, got [${radii.join(', ')}]`,
    );
  }
  if (!Number.isInteger(perClass) || perClass < 1 || !Number.isInteger(points) || points < 1 || !(std >= 0)) {
    throw new DatasetError(
      'makeConcentricCircles',
      'INVALID_ARGUMENT',
      `expected integers perClass, pointsPerGaussian >= 1 and std >= 0, got ${perClass}, ${points}, ${std}`,
    );
  }
  const rng = new SeededRandom(options.seed ?? 0);
  const n = radii.length * perClass;
  const features = new Float32Array(n * points * 2);
  const centres = new Float32Array(n * 2);
  const labels = new Int32Array(n);
  for (let c = 0; c < radii.length; c++) {
    for (let j = 0; j < perClass; j++) {
      const row = c * perClass + j;
      const theta = rng.uniform(0, 2 * Math.PI);
      const mx = radii[c] * Math.cos(theta);
      const my = radii[c] * Math.sin(theta);
      centres[2 * row] = mx;
      centres[2 * row + 1] = my;
      labels[row] = c;
      for (let p = 0; p < points; p++) {
        features[(row * points + p) * 2] = mx + rng.normal(0, std);
        features[(row * points + p) * 2 + 1] = my + rng.normal(0, std);
      }
    }
  }
  const data = validateLabelledData(
    {
      name: 'concentric-circles',
      features,
      labels,
      sampleShape: points === 1 ? [2] : [points, 2],
      numClasses: radii.length,
      classNames: radii.map((r) => `radius ${r}`),
    },
    'makeConcentricCircles',
  );
  return { ...data, centres };
}
