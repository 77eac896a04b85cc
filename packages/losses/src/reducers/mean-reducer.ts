import * as tf from '@tensorflow/tfjs-core';
import { count, isOn } from '../utils/masked-ops';
import type { Reducer } from './reducer';

/** Mean over the existing elements: Σ ℓ_k / |{k}|; 0 when there are none. */
export class MeanReducer implements Reducer {
  readonly type = 'MeanReducer';

  reduce(losses: tf.Tensor, mask: tf.Tensor): tf.Scalar {
    return tf.tidy(() => {
      const s = tf.sum(tf.where(isOn(mask), losses, tf.zeros(losses.shape)));
      return tf.div(s, tf.maximum(count(mask), 1)) as tf.Scalar;
    });
  }
}
