import * as tf from '@tensorflow/tfjs-core';
import { describeValue } from '@empirical-bregman/common';
import { LossesError } from '../losses-error';
import { isOn } from '../utils/masked-ops';
import type { Reducer } from './reducer';

export interface ThresholdReducerOptions {
  /** Keep elements with ℓ > low (default −∞). */
  readonly low?: number;
  /** Keep elements with ℓ < high (default +∞). */
  readonly high?: number;
}

/**
 * Mean over the elements whose loss lies strictly inside (low, high): Σ_{low<ℓ_k<high} ℓ_k / |{k : low < ℓ_k < high}|;
 * 0 when none does. Discards both trivial and outlier elements.
 */
export class ThresholdReducer implements Reducer {
  readonly type = 'ThresholdReducer';
  readonly low: number;
  readonly high: number;

  constructor(options: ThresholdReducerOptions = {}) {
    this.low = options.low ?? Number.NEGATIVE_INFINITY;
    this.high = options.high ?? Number.POSITIVE_INFINITY;
    if (Number.isNaN(this.low) || Number.isNaN(this.high) || !(this.low < this.high)) {
      throw new LossesError(
        'ThresholdReducer',
        'INVALID_ARGUMENT',
        `expected low < high, got low ${describeValue(this.low)} and high ${describeValue(this.high)}`,
      );
    }
  }

  reduce(losses: tf.Tensor, mask: tf.Tensor): tf.Scalar {
    return tf.tidy(() => {
      // step (not greater/less): comparisons on the differentiated path need a registered gradient.
      let keep: tf.Tensor = tf.where(isOn(mask), tf.ones(losses.shape), tf.zeros(losses.shape));
      if (Number.isFinite(this.low)) keep = tf.mul(keep, tf.step(tf.sub(losses, this.low)));
      if (Number.isFinite(this.high)) keep = tf.mul(keep, tf.step(tf.sub(this.high, losses)));
      const l = tf.where(isOn(mask), losses, tf.zeros(losses.shape));
      return tf.div(tf.sum(tf.mul(l, keep)), tf.maximum(tf.sum(keep), 1)) as tf.Scalar;
    });
  }
}
