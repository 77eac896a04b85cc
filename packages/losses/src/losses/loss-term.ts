import type * as tf from '@tensorflow/tfjs-core';

/**
 * Per-element losses and the mask of elements that exist (same shape), and which anchor each element belongs to;
 * see `Reducer`.
 */
export interface LossTerm {
  readonly losses: tf.Tensor;
  readonly mask: tf.Tensor;
  /**
   * The anchor (a row of the embeddings) of each element, declared by the loss, never guessed from the shape:
   * `'rows'` when the first axis is the anchor (every [n], [n, m], [n, m, m] term: element [i, …] belongs to anchor
   * i, e.g. a classification loss's per-sample terms); an int32 tensor broadcastable to the losses when the elements
   * carry their anchor (gathered triplets); `null` when the elements have no anchor (a proxy loss's per-proxy
   * terms, a whole-batch histogram), which `PerAnchorReducer` and `ClassWeightedReducer` refuse.
   */
  readonly anchors: 'rows' | tf.Tensor | null;
  /**
   * The loss's own divisor for this term, PML's `divisor` (see `DivisorReducer`): `ProxyAnchorLoss` gives the number
   * of proxies with a positive sample (positive term) and C (negative term); the other losses give none.
   */
  readonly divisor?: tf.Scalar;
}
