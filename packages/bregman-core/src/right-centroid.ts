import * as tf from '@tensorflow/tfjs-core';
import { BregmanCoreError } from './bregman-core-error';
import { checkMatrix, isTensor } from './check-inputs';

/**
 * The right-sided Bregman centroid argmin_c Σᵢ wᵢ D_φ(xᵢ, c) = Σᵢ wᵢ xᵢ / Σᵢ wᵢ, the (weighted) arithmetic mean, for
 * every generator φ (Banerjee, Merugu, Dhillon & Ghosh 2005, "Clustering with Bregman divergences", JMLR 6,
 * Prop. 1). This is why Bregman k-means keeps Lloyd's mean update.
 *
 * @param x the points [n, d], n ≥ 1.
 * @param weights optional non-negative weights [n] (not all 0).
 * @returns the centroid [d], owned by the caller.
 */
export function rightCentroid(x: tf.Tensor2D, weights?: tf.Tensor1D): tf.Tensor1D {
  checkMatrix('rightCentroid', 'x', x);
  if (x.shape[0] === 0) {
    throw new BregmanCoreError('rightCentroid', 'INVALID_SHAPE', 'expected at least one point, got x of shape [0, d]');
  }
  if (weights === undefined) return tf.tidy(() => tf.mean(x, 0) as tf.Tensor1D);
  if (!isTensor(weights) || weights.rank !== 1 || weights.shape[0] !== x.shape[0]) {
    throw new BregmanCoreError(
      'rightCentroid',
      'INVALID_SHAPE',
      `expected weights of shape [${x.shape[0]}], got ${isTensor(weights) ? `[${weights.shape.join(', ')}]` : String(weights)}`,
    );
  }
  return tf.tidy(() => {
    const w = tf.reshape(weights, [-1, 1]);
    return tf.div(tf.sum(tf.mul(x, w), 0), tf.sum(weights)) as tf.Tensor1D;
  });
}
