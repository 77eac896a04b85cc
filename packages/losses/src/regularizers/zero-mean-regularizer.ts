import * as tf from '@tensorflow/tfjs-core';
import type { RegularizerTerm } from './base-regularizer';
import { BaseRegularizer, type RegularizerOptions } from './base-regularizer';

/**
 * Pushes the components of each row to sum to zero (PML's `ZeroMeanRegularizer`, from Tian et al. 2019's
 * "zero-mean" constraint on embeddings):
 *
 *   r_i = |Σ_k x_ik|,   reduced over rows (default `MeanReducer`).
 *
 * @example
 * const loss = new NTXentLoss({ embeddingRegularizer: new ZeroMeanRegularizer(), embeddingRegWeight: 0.1 });
 */
export class ZeroMeanRegularizer extends BaseRegularizer {
  readonly type = 'ZeroMeanRegularizer';

  constructor(options: RegularizerOptions = {}) {
    super('ZeroMeanRegularizer', options);
  }

  protected terms(rows: tf.Tensor2D): RegularizerTerm {
    const losses = tf.abs(tf.sum(rows, 1));
    return { losses, mask: tf.onesLike(losses) };
  }
}
