import * as tf from '@tensorflow/tfjs-core';
import type { ReductionInfo } from '../reducers/reducer';

// Internal (not exported from the index): how the MetricLoss base describes a term to its reducer.

/** What a loss term may add for its reducer (see `LossTerm`). */
export interface TermExtras {
  readonly losses: tf.Tensor;
  /** The anchor row of each element when it is not the first axis (e.g. gathered triplets). */
  readonly anchors?: tf.Tensor;
  /** The loss's own divisor for this term. */
  readonly divisor?: tf.Scalar;
}

/**
 * The `ReductionInfo` of term `termIndex`: explicit anchors when the term gives them; otherwise, for anchored
 * losses, the first axis is the anchor when it has length n (every [n], [n, m], [n, m, m] term); else none.
 */
export function reductionInfo(
  term: TermExtras,
  termIndex: number,
  labels: tf.Tensor1D,
  n: number,
  anchored: boolean,
): ReductionInfo {
  let anchors: tf.Tensor | null = term.anchors ?? null;
  let anchorsAreRows = false;
  if (anchors === null && anchored && term.losses.rank >= 1 && term.losses.shape[0] === n) {
    const shape = [n, ...term.losses.shape.slice(1).map(() => 1)];
    anchors = tf.reshape(tf.range(0, n, 1, 'int32'), shape);
    anchorsAreRows = true;
  }
  return { termIndex, anchors, anchorsAreRows, labels, n, divisor: term.divisor ?? null };
}
