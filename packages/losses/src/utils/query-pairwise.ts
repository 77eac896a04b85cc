import * as tf from '@tensorflow/tfjs-core';
import type { Divergence, QuerySlot } from '@empirical-bregman/bregman-core';

// Internal (not exported from the index): the one place where a query slot turns into an argument order.

/** D(query rows, reference rows) with the queries (anchors) in the chosen slot: [nq, nr]. */
export function queryPairwise(divergence: Divergence, slot: QuerySlot, q: tf.Tensor2D, r: tf.Tensor2D): tf.Tensor2D {
  return slot === 'left' ? divergence.pairwise(q, r) : (tf.transpose(divergence.pairwise(r, q)) as tf.Tensor2D);
}

/** D(q_i, r_i) for aligned rows with the queries (anchors) in the chosen slot: [n]. */
export function queryPaired(divergence: Divergence, slot: QuerySlot, q: tf.Tensor2D, r: tf.Tensor2D): tf.Tensor1D {
  return slot === 'left' ? divergence.paired(q, r) : divergence.paired(r, q);
}
