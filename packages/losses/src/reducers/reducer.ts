import type * as tf from '@tensorflow/tfjs-core';

/**
 * What a loss tells its reducer about one term besides the losses and their mask (the third, optional argument of
 * `Reducer.reduce`; reducers that only need the losses ignore it, so every older reducer still fits). Valid only
 * during the `reduce` call.
 */
export interface ReductionInfo {
  /**
   * Position of the term in the loss's list, 0 first (e.g. `ContrastiveLoss` and `IntraPairVarianceLoss`: 0 the
   * positive pairs, 1 the negative pairs). Every `compute` starts again at 0.
   */
  readonly termIndex: number;
  /**
   * The anchor row (an index into the embeddings) of each element: int32, broadcastable to the losses' shape
   * (`[n, 1, …]` when the term declares its first axis the anchor, `LossTerm.anchors` = `'rows'`: the per-anchor,
   * pair and per-sample classification terms). `null` when the term declares no anchors (a proxy loss's per-proxy
   * terms, a whole-batch histogram).
   */
  readonly anchors: tf.Tensor | null;
  /** True when `anchors` is the first axis (anchor i = row i of the losses), false for explicit anchors or none. */
  readonly anchorsAreRows: boolean;
  /** Labels of the embeddings (the anchors): int32 [n]. */
  readonly labels: tf.Tensor1D;
  /** Number of anchors n (rows of the embeddings). */
  readonly n: number;
  /** The loss's own divisor for this term (pytorch-metric-learning's `divisor`), or null when it gives none. */
  readonly divisor: tf.Scalar | null;
}

/**
 * Turns per-element losses into one number ("what" vs "how much", as in pytorch-metric-learning's reducers).
 * `losses` and `mask` have one shape; elements where `mask` is 0 do not exist (a loss may be any finite value
 * there) and receive exactly zero gradient. An empty mask reduces to 0. `info` (see `ReductionInfo`) carries the
 * anchors, labels and term index for reducers that weight or group elements (`PerAnchorReducer`,
 * `ClassWeightedReducer`, `MultipleReducers`, `DivisorReducer`).
 */
export interface Reducer {
  /** Registry-style name, e.g. `'MeanReducer'`. */
  readonly type: string;
  /** A scalar the caller owns. */
  reduce(losses: tf.Tensor, mask: tf.Tensor, info?: ReductionInfo): tf.Scalar;
}
