import * as tf from '@tensorflow/tfjs-core';
import { LossesError } from '../losses-error';
import { checkNumber } from '../utils/check-options';
import { isOn } from '../utils/masked-ops';
import type { Reducer, ReductionInfo } from './reducer';

export interface DivisorReducerOptions {
  /** The divisor to use when the loss gives none for a term (no default: such a term is then an error). */
  readonly divisor?: number;
}

/**
 * Σ ℓ_k / divisor (pytorch-metric-learning's `DivisorReducer`), 0 when the divisor is 0. The divisor is the loss's
 * own for the term (`LossTerm.divisor`: `ProxyAnchorLoss`'s proxies with positives, and C) when it gives one, else the `divisor`
 * option. Differs from PML: PML has no fixed fallback; a term with neither is a `LossesError`.
 *
 *   new TripletMarginLoss({ reducer: new DivisorReducer({ divisor: 32 }) }) // the sum over triplets / 32
 */
export class DivisorReducer implements Reducer {
  readonly type = 'DivisorReducer';
  readonly divisor: number | null;

  constructor(options: DivisorReducerOptions = {}) {
    this.divisor =
      options.divisor === undefined
        ? null
        : checkNumber('DivisorReducer', 'divisor', options.divisor, 1, 'nonnegative');
  }

  reduce(losses: tf.Tensor, mask: tf.Tensor, info?: ReductionInfo): tf.Scalar {
    const given = info?.divisor ?? null;
    if (given === null && this.divisor === null) {
      throw new LossesError(
        'DivisorReducer.reduce',
        'INVALID_ARGUMENT',
        'expected a divisor from the loss or the divisor option, got neither',
      );
    }
    return tf.tidy(() => {
      const sum = tf.sum(tf.where(isOn(mask), losses, tf.zeros(losses.shape)));
      const div = given ?? tf.scalar(this.divisor as number);
      // A zero divisor gives 0 (PML's zero loss): divide by 1 there and multiply by 0.
      const nonzero = tf.cast(tf.notEqual(div, 0), 'float32');
      return tf.mul(tf.div(sum, tf.add(div, tf.sub(1, nonzero))), nonzero) as tf.Scalar;
    });
  }
}
