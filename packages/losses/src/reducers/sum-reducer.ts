import * as tf from '@tensorflow/tfjs-core';
import { isOn } from '../utils/masked-ops';
import type { Reducer } from './reducer';

/** Sum over the existing elements: Σ ℓ_k; 0 when there are none. */
export class SumReducer implements Reducer {
  readonly type = 'SumReducer';

  reduce(losses: tf.Tensor, mask: tf.Tensor): tf.Scalar {
    return tf.tidy(() => tf.sum(tf.where(isOn(mask), losses, tf.zeros(losses.shape))) as tf.Scalar);
  }
}
