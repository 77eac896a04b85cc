import type * as tf from '@tensorflow/tfjs-core';

/**
 * Turns per-element losses into one number ("what" vs "how much", as in pytorch-metric-learning's reducers).
 * `losses` and `mask` have one shape; elements where `mask` is 0 do not exist (a loss may be any finite value
 * there) and receive exactly zero gradient. An empty mask reduces to 0.
 */
export interface Reducer {
  /** Registry-style name, e.g. `'MeanReducer'`. */
  readonly type: string;
  /** A scalar the caller owns. */
  reduce(losses: tf.Tensor, mask: tf.Tensor): tf.Scalar;
}
