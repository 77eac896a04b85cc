import * as tf from '@tensorflow/tfjs-core';
import { isOn } from '../utils/masked-ops';
import type { Reducer, ReductionInfo } from './reducer';

/** One term's unreduced losses as `DoNothingReducer` keeps them (masked-out elements are 0). */
export interface UnreducedTerm {
  readonly losses: tf.Tensor;
  readonly mask: tf.Tensor;
}

/**
 * Leaves the per-element losses unreduced (pytorch-metric-learning's `DoNothingReducer`), for weighting or
 * inspecting them yourself. A loss's `compute` must still return one number, so `reduce` returns their sum (every
 * element's gradient weight is 1) and keeps each term's losses (masked-out elements set to 0) and mask in
 * `lastTerms`, in term order. Inside a `tf.grad` / `optimizer.minimize` callback the kept tensors are on the
 * gradient tape, so a custom reduction of them can be differentiated:
 *
 *   const reducer = new DoNothingReducer();
 *   const loss = new ContrastiveLoss({ reducer });
 *   optimizer.minimize(() => { loss.compute(x, labels).dispose(); return myReduction(reducer.lastTerms); });
 *
 * Tensor lifetime: the reducer owns `lastTerms`; they live until the next `compute` with this reducer (which
 * replaces them) or `dispose()`. Differs from PML: `compute` returns the sum, not the unreduced tensor.
 */
export class DoNothingReducer implements Reducer {
  readonly type = 'DoNothingReducer';
  private terms: UnreducedTerm[] = [];

  /** The unreduced terms of the last `compute` (owned by the reducer). */
  get lastTerms(): readonly UnreducedTerm[] {
    return this.terms;
  }

  reduce(losses: tf.Tensor, mask: tf.Tensor, info?: ReductionInfo): tf.Scalar {
    // Term 0 starts a new compute: the previous compute's terms are no longer wanted.
    if (info === undefined || info.termIndex === 0) this.dispose();
    const kept = tf.tidy(() => ({
      losses: tf.where(isOn(mask), losses, tf.zeros(losses.shape)),
      mask: tf.cast(isOn(mask), 'float32'),
    }));
    tf.keep(kept.losses);
    tf.keep(kept.mask);
    this.terms.push(kept);
    return tf.sum(kept.losses);
  }

  /** Frees the kept terms. */
  dispose(): void {
    for (const t of this.terms) tf.dispose([t.losses, t.mask]);
    this.terms = [];
  }
}
