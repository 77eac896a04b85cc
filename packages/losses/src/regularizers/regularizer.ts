import type * as tf from '@tensorflow/tfjs-core';

/**
 * A penalty on a set of rows (pytorch-metric-learning's regularizers): the embeddings of a batch, or a loss's class
 * weights / proxies. A loss adds `weight · regularizer.compute(rows)` to its value when one is attached
 * (`embeddingRegularizer`, `weightRegularizer` in `MetricLossOptions`).
 */
export interface Regularizer {
  /** Registry-style name, e.g. `'LpRegularizer'`. */
  readonly type: string;
  /**
   * The penalty of `rows` ([n, d] float32): a scalar the caller owns, differentiable with respect to the rows. An
   * empty set of rows gives 0.
   */
  compute(rows: tf.Tensor2D): tf.Scalar;
}
