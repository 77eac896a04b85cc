import * as tf from '@tensorflow/tfjs-core';

/**
 * The similarity used where a paper is written in similarities (MultiSimilarity, ProxyAnchor): s = 1 − D̃. With
 * `CosineDivergence` (D = 1 − cos) and scale `'none'` it is exactly the cosine similarity of the papers; with the
 * default batch-mean scale, s = 0 at the batch's mean divergence (internal).
 */
export function similarity(d: tf.Tensor): tf.Tensor {
  return tf.sub(1, d);
}

/** True where a row of `mask` has at least one entry: [n, 1] float. */
export function rowHas(mask: tf.Tensor2D): tf.Tensor2D {
  return tf.cast(tf.greater(tf.sum(mask, 1, true), 0), 'float32') as tf.Tensor2D;
}
