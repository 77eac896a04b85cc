import * as tf from '@tensorflow/tfjs-core';
import { describeValue } from '@empirical-bregman/common';
import { LossesError } from '../losses-error';
import { isOn } from '../utils/masked-ops';
import { MeanReducer } from './mean-reducer';
import type { Reducer, ReductionInfo } from './reducer';

export interface PerAnchorReducerOptions {
  /** How the per-anchor values become one number (default `MeanReducer`). */
  readonly reducer?: Reducer;
}

/**
 * Two-stage reduction (pytorch-metric-learning's `PerAnchorReducer`): first the mean of each anchor's existing
 * elements, L_a = (1/K_a) Σ_{k: a_k = a} ℓ_k, then `reducer` over the anchors that have at least one element.
 * Every anchor then weighs the same, however many pairs or triplets it has. Triplet terms are accepted (PML refuses
 * them). Differs from PML: PML's second stage also counts anchors without elements (as 0) for pair terms.
 *
 *   new ContrastiveLoss({ reducer: new PerAnchorReducer() })
 */
export class PerAnchorReducer implements Reducer {
  readonly type = 'PerAnchorReducer';
  readonly reducer: Reducer;

  constructor(options: PerAnchorReducerOptions = {}) {
    const r = options.reducer ?? new MeanReducer();
    if (typeof (r as Partial<Reducer>)?.reduce !== 'function') {
      throw new LossesError('PerAnchorReducer', 'INVALID_ARGUMENT', `expected a Reducer, got ${describeValue(r)}`);
    }
    this.reducer = r;
  }

  reduce(losses: tf.Tensor, mask: tf.Tensor, info?: ReductionInfo): tf.Scalar {
    if (info?.anchors === null || info?.anchors === undefined) {
      throw new LossesError(
        'PerAnchorReducer.reduce',
        'INVALID_ARGUMENT',
        'expected elements with anchors (a pair, triplet, per-anchor or per-sample loss), got a term without anchors',
      );
    }
    const anchors = info.anchors;
    const { n } = info;
    return tf.tidy(() => {
      const on = tf.cast(isOn(mask), 'float32');
      const l = tf.where(isOn(mask), losses, tf.zeros(losses.shape));
      let sums: tf.Tensor;
      let counts: tf.Tensor;
      if (info.anchorsAreRows) {
        // The first axis is the anchor: sum the other axes.
        const rest = losses.shape.slice(1).map((_, k) => k + 1);
        sums = rest.length === 0 ? l : tf.sum(l, rest);
        counts = rest.length === 0 ? on : tf.sum(tf.broadcastTo(on, losses.shape), rest);
      } else {
        // Explicit anchors per element: a one-hot product groups them.
        const oneHot = tf.cast(tf.oneHot(tf.reshape(tf.broadcastTo(anchors, losses.shape), [-1]), n), 'float32');
        sums = tf.reshape(tf.matMul(tf.reshape(l, [1, -1]), oneHot), [n]);
        counts = tf.reshape(tf.matMul(tf.reshape(tf.broadcastTo(on, losses.shape), [1, -1]), oneHot), [n]);
      }
      const has = tf.cast(tf.greater(counts, 0), 'float32');
      const perAnchor = tf.div(sums, tf.maximum(counts, 1));
      return this.reducer.reduce(perAnchor, has, {
        ...info,
        anchors: tf.range(0, n, 1, 'int32'),
        anchorsAreRows: true,
      });
    });
  }
}
