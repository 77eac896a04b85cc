import * as tf from '@tensorflow/tfjs-core';

/**
 * x^e for x ≥ 0 (internal), with value 0 and gradient 0 at x = 0. √x and ‖·‖ have an infinite derivative at 0
 * (tfjs then yields NaN, e.g. ∞ · 0); a zero row or two coincident unit vectors are ordinary inputs of the
 * regularizers and of ArcFace's sin θ, so they must not poison a training step. The inner `where` keeps the
 * untaken branch finite, so its gradient (multiplied by 0) stays 0 rather than NaN.
 */
export function safePow(x: tf.Tensor, e: number): tf.Tensor {
  const positive = tf.greater(x, 0);
  const safe = tf.where(positive, x, tf.onesLike(x));
  return tf.where(positive, tf.pow(safe, e), tf.zerosLike(x));
}
