import { DatasetError } from './dataset-error';

/**
 * Per-feature standardisation z_j = (x_j − μ_j) / σ_j with μ, σ the mean and (population) standard deviation of
 * each column of the data it was fitted on; constant columns get σ_j = 1 (they map to 0). Fit on the training part
 * only, then transform every part, so no test statistics leak into training.
 *
 * ```ts
 * const scaler = Standardizer.fit(iris.features, 4, split.train);
 * const z = scaler.transform(iris.features);   // a new Float32Array
 * ```
 */
export class Standardizer {
  private constructor(
    /** μ_j, one per feature. */
    readonly mean: Float64Array,
    /** σ_j, one per feature (1 for constant features). */
    readonly std: Float64Array,
  ) {}

  /**
   * @param features row-major samples, `dim` values each.
   * @param dim number of features per sample.
   * @param rows fit on these sample indices only (default: all).
   */
  static fit(features: Float32Array, dim: number, rows?: ArrayLike<number>): Standardizer {
    if (!Number.isInteger(dim) || dim < 1 || features.length % dim !== 0) {
      throw new DatasetError(
        'Standardizer.fit',
        'INVALID_SHAPE',
        `expected features whose length is a multiple of dim = ${dim}, got ${features.length}`,
      );
    }
    const n = features.length / dim;
    const pick = rows ?? Int32Array.from({ length: n }, (_, i) => i);
    if (pick.length === 0)
      throw new DatasetError('Standardizer.fit', 'INVALID_ARGUMENT', 'expected at least one row, got 0');
    const mean = new Float64Array(dim);
    const std = new Float64Array(dim);
    for (let r = 0; r < pick.length; r++) for (let j = 0; j < dim; j++) mean[j] += features[pick[r] * dim + j];
    for (let j = 0; j < dim; j++) mean[j] /= pick.length;
    for (let r = 0; r < pick.length; r++) {
      for (let j = 0; j < dim; j++) {
        const d = features[pick[r] * dim + j] - mean[j];
        std[j] += d * d;
      }
    }
    for (let j = 0; j < dim; j++) {
      const s = Math.sqrt(std[j] / pick.length);
      std[j] = s > 1e-12 ? s : 1;
    }
    return new Standardizer(mean, std);
  }

  /** (x − μ)/σ column-wise, as a new array. */
  transform(features: Float32Array): Float32Array {
    const dim = this.mean.length;
    if (features.length % dim !== 0) {
      throw new DatasetError(
        'Standardizer.transform',
        'INVALID_SHAPE',
        `expected features whose length is a multiple of ${dim}, got ${features.length}`,
      );
    }
    const out = new Float32Array(features.length);
    for (let i = 0; i < features.length; i++) out[i] = (features[i] - this.mean[i % dim]) / this.std[i % dim];
    return out;
  }

  /** x = z·σ + μ, the inverse of {@link transform}. */
  inverseTransform(z: Float32Array): Float32Array {
    const dim = this.mean.length;
    const out = new Float32Array(z.length);
    for (let i = 0; i < z.length; i++) out[i] = z[i] * this.std[i % dim] + this.mean[i % dim];
    return out;
  }
}
