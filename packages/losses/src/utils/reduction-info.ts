import * as tf from '@tensorflow/tfjs-core';
import type { LossTerm } from '../losses/loss-term';
import { LossesError } from '../losses-error';
import type { ReductionInfo } from '../reducers/reducer';

// Internal (not exported from the index): how the MetricLoss base describes a term to its reducer.

/**
 * The `ReductionInfo` of term `termIndex`, from the anchors the term declares (never guessed from its shape: an
 * unanchored term, e.g. a whole-batch histogram or per-proxy values, may happen to have length n). `'rows'` becomes
 * the index tensor [n, 1, …] broadcastable to the losses; a term that declares `'rows'` must have n rows.
 */
export function reductionInfo(
  component: string,
  term: LossTerm,
  termIndex: number,
  labels: tf.Tensor1D,
  n: number,
): ReductionInfo {
  let anchors: tf.Tensor | null;
  const anchorsAreRows = term.anchors === 'rows';
  if (term.anchors === 'rows') {
    if (term.losses.rank < 1 || term.losses.shape[0] !== n) {
      throw new LossesError(
        component,
        'INVALID_SHAPE',
        `expected term ${termIndex} with anchors 'rows' to have ${n} rows, got shape [${term.losses.shape.join(', ')}]`,
      );
    }
    anchors = tf.reshape(tf.range(0, n, 1, 'int32'), [n, ...term.losses.shape.slice(1).map(() => 1)]);
  } else {
    anchors = term.anchors;
  }
  return { termIndex, anchors, anchorsAreRows, labels, n, divisor: term.divisor ?? null };
}
