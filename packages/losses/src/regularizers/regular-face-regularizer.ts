import * as tf from '@tensorflow/tfjs-core';
import { CosineDivergence } from '@empirical-bregman/bregman-core';
import type { RegularizerTerm } from './base-regularizer';
import { maskedMax } from '../utils/masked-ops';
import { BaseRegularizer, type RegularizerOptions } from './base-regularizer';

/**
 * Spreads the class weights apart on the sphere (PML's `RegularFaceRegularizer`, Zhao et al. 2019, "RegularFace:
 * deep face recognition via exclusive regularization", CVPR): each class is penalised by the cosine similarity of
 * its nearest other class,
 *
 *   r_c = max_{k≠c} cos(w_c, w_k),   reduced over classes (default `MeanReducer`).
 *
 * The cosine is fixed (PML takes any similarity; the paper's is the cosine). The gradient flows through the
 * nearest neighbour only, as in the paper (PML chooses it without gradient too). Fewer than two rows: 0.
 *
 * @example
 * const loss = new ArcFaceLoss({ numClasses: 10, embeddingDim: 64, weightRegularizer: new RegularFaceRegularizer() });
 */
export class RegularFaceRegularizer extends BaseRegularizer {
  readonly type = 'RegularFaceRegularizer';
  private readonly cosine = new CosineDivergence();

  constructor(options: RegularizerOptions = {}) {
    super('RegularFaceRegularizer', options);
  }

  protected terms(rows: tf.Tensor2D): RegularizerTerm {
    const c = rows.shape[0];
    const cos = tf.sub(1, this.cosine.pairwise(rows, rows));
    const others = tf.sub(1, tf.eye(c));
    const losses = maskedMax(cos, others, 1);
    return { losses, mask: tf.fill([c], c > 1 ? 1 : 0) };
  }
}
