import * as tf from '@tensorflow/tfjs-core';
import { isOn } from '../utils/masked-ops';
import type { Reducer } from './reducer';

/**
 * Mean over the elements with a positive loss: Σ ℓ_k / |{k : ℓ_k > 0}| (Hermans et al. 2017, "In defense of the
 * triplet loss", batch-all variant); 0 when no element is active. The default of the hinge losses, whose easy
 * elements would otherwise dilute the gradient.
 */
export class AvgNonZeroReducer implements Reducer {
  readonly type = 'AvgNonZeroReducer';

  reduce(losses: tf.Tensor, mask: tf.Tensor): tf.Scalar {
    return tf.tidy(() => {
      const l = tf.where(isOn(mask), losses, tf.zeros(losses.shape));
      // step (not greater): a comparison on the differentiated path needs a registered gradient.
      const active = tf.sum(tf.step(l));
      return tf.div(tf.sum(l), tf.maximum(active, 1)) as tf.Scalar;
    });
  }
}
