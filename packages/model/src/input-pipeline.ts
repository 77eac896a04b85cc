import * as tf from '@tensorflow/tfjs-core';
import type { ModelInputSpec } from './model-manifest';

/**
 * The manifest's preprocessing as tensor ops: x / divisor, then z = (x − mean) / std per flattened feature. The
 * division comes first because the standardizer's statistics are those of the features the trunk was trained on,
 * which for images are the pixels already divided (datasets' loaders divide when they decode). Runs in float32 on
 * the backend: it differs from a float64 standardisation (datasets' `Standardizer`) by float32 round-off only.
 * Internal.
 */
export function preprocess(spec: ModelInputSpec, x: tf.Tensor, constants?: PreprocessConstants): tf.Tensor {
  return tf.tidy(() => {
    let z = x.dtype === 'float32' ? x : tf.cast(x, 'float32');
    if (spec.divisor !== undefined) z = tf.div(z, tf.scalar(spec.divisor));
    if (spec.standardizer !== undefined) {
      const n = z.shape[0]!;
      const size = spec.sampleShape.reduce((a, b) => a * b, 1);
      const flat = tf.reshape(z, [n, size]);
      const { mean, std } = constants ?? preprocessConstants(spec);
      z = tf.reshape(tf.div(tf.sub(flat, mean), std), z.shape);
    }
    return z === x ? tf.clone(x) : z;
  });
}

/** The standardizer's mean and std as tensors, made once per model (the owner disposes them). Internal. */
export interface PreprocessConstants {
  readonly mean: tf.Tensor1D;
  readonly std: tf.Tensor1D;
}

/** {@link PreprocessConstants} of a spec with a standardizer, or undefined. */
export function preprocessConstants(spec: ModelInputSpec): PreprocessConstants;
export function preprocessConstants(spec: ModelInputSpec): PreprocessConstants | undefined {
  if (spec.standardizer === undefined) return undefined;
  const { mean, std } = spec.standardizer;
  return { mean: tf.tensor1d(Float32Array.from(mean)), std: tf.tensor1d(Float32Array.from(std)) };
}
