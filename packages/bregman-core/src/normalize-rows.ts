import * as tf from '@tensorflow/tfjs-core';
import { describeValue } from '@empirical-bregman/common';
import { BregmanCoreError } from './bregman-core-error';
import { isTensor } from './check-inputs';

/** Rows whose norm is at most this count as zero (a zero vector has cosine 0 with everything, so D = 1). */
const MIN_NORM = 1e-12;
const MIN_SQUARED_NORM = MIN_NORM * MIN_NORM;

/**
 * x / ‖x‖ row by row, with 0 (and a zero gradient) for a row of norm ≤ 10⁻¹²: the one row normalisation of the
 * project (`CosineDivergence`, the losses' normalised class weights). The result is the caller's.
 *
 * How: a mask m = step(‖x‖² − ε²) (which has a zero gradient, unlike `greater`) gives x·m / √(m·‖x‖² + 1 − m):
 * x/‖x‖ bit for bit where m = 1, and 0/1 where m = 0, so the square root never sees 0. Why not max(‖x‖, ε): √ at 0
 * has an infinite derivative, and its product with the zero derivative of ‖x‖² gave a NaN gradient for a zero row
 * (the loss of a whole batch then is NaN). Why not x / √(max(‖x‖², ε²)) (PyTorch's F.normalize): finite, but
 * −y/ε ≈ 10¹² per unit of loss at a zero row, a step that wipes the weights; 0 is the convention
 * EuclideanDivergence takes at 0 too.
 *
 * ```ts
 * normalizeRows(tf.tensor2d([[3, 4], [0, 0]])); // [[0.6, 0.8], [0, 0]]
 * ```
 */
export function normalizeRows(x: tf.Tensor2D): tf.Tensor2D {
  if (!isTensor(x) || x.rank !== 2) {
    throw new BregmanCoreError(
      'normalizeRows',
      'INVALID_SHAPE',
      `expected a tf.Tensor2D [n, d], got ${describeValue(x)}`,
    );
  }
  return tf.tidy(() => {
    const squaredNorms = tf.sum(tf.square(x), 1, true);
    const mask = tf.step(tf.sub(squaredNorms, MIN_SQUARED_NORM));
    const norms = tf.sqrt(tf.add(tf.mul(squaredNorms, mask), tf.sub(1, mask)));
    return tf.div(tf.mul(x, mask), norms) as tf.Tensor2D;
  });
}
