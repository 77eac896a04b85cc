import * as tf from '@tensorflow/tfjs-core';
import type { RegularizerTerm } from './base-regularizer';
import { BaseRegularizer, type RegularizerOptions } from './base-regularizer';

/**
 * Pulls every class weight to the same squared norm (PML's `CenterInvariantRegularizer`, Wu et al. 2017,
 * "Deep features for face recognition under-represented classes", the center-invariant loss); attach it as a
 * `weightRegularizer` so that no class gets a larger weight, and so a larger prior, just by being frequent:
 *
 *   r_c = (‖w_c‖² − (1/C) Σ_k ‖w_k‖²)² / 4,   reduced over classes (default `MeanReducer`).
 *
 * @example
 * const loss = new CosFaceLoss({ numClasses: 10, embeddingDim: 64, weightRegularizer: new CenterInvariantRegularizer() });
 */
export class CenterInvariantRegularizer extends BaseRegularizer {
  readonly type = 'CenterInvariantRegularizer';

  constructor(options: RegularizerOptions = {}) {
    super('CenterInvariantRegularizer', options);
  }

  protected terms(rows: tf.Tensor2D): RegularizerTerm {
    const squaredNorms = tf.sum(tf.square(rows), 1);
    const deviations = tf.sub(squaredNorms, tf.mean(squaredNorms));
    const losses = tf.div(tf.square(deviations), 4);
    return { losses, mask: tf.onesLike(losses) };
  }
}
