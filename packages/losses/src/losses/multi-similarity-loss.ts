import * as tf from '@tensorflow/tfjs-core';
import { maskedLogSumExp } from '../utils/masked-ops';
import { MeanReducer } from '../reducers/mean-reducer';
import { type LossContext, type LossTerm, MetricLoss, type MetricLossOptions } from './metric-loss';
import { checkNumber } from '../utils/check-options';
import { rowHas, similarity } from '../utils/similarity';

export interface MultiSimilarityLossOptions extends MetricLossOptions {
  /** α, weight of the positive similarities (paper default 2). */
  readonly alpha?: number;
  /** β, weight of the negative similarities (paper default 50). */
  readonly beta?: number;
  /** λ, the similarity threshold (default 0.5, pytorch-metric-learning's `base`). */
  readonly lambda?: number;
}

/**
 * Multi-similarity loss (Wang et al. 2019, "Multi-similarity loss with general pair weighting for deep metric
 * learning", CVPR), per anchor i, with similarities S = 1 − D̃ (see the README):
 *
 *   ℓ_i = (1/α) log[1 + Σ_{k∈P_i} e^{−α(S_ik − λ)}] + (1/β) log[1 + Σ_{k∈N_i} e^{β(S_ik − λ)}].
 *
 * An anchor counts only if the batch holds at least one positive and one negative for it (the paper's pair mining
 * needs both; a one-class batch gives 0). Pair the loss with `MultiSimilarityMiner` for the paper's mining step.
 * Default reducer: `MeanReducer` over anchors.
 */
export class MultiSimilarityLoss extends MetricLoss {
  readonly type = 'MultiSimilarityLoss';
  readonly alpha: number;
  readonly beta: number;
  readonly lambda: number;

  constructor(options: MultiSimilarityLossOptions = {}) {
    super('MultiSimilarityLoss', options, new MeanReducer());
    this.alpha = checkNumber('MultiSimilarityLoss', 'alpha', options.alpha, 2, 'positive');
    this.beta = checkNumber('MultiSimilarityLoss', 'beta', options.beta, 50, 'positive');
    this.lambda = checkNumber('MultiSimilarityLoss', 'lambda', options.lambda, 0.5);
  }

  protected terms(ctx: LossContext): LossTerm[] {
    const s = similarity(ctx.d);
    const posL = maskedLogSumExp(tf.mul(-this.alpha, tf.sub(s, this.lambda)), ctx.pos, 1);
    const negL = maskedLogSumExp(tf.mul(this.beta, tf.sub(s, this.lambda)), ctx.neg, 1);
    const losses = tf.add(tf.div(tf.softplus(posL), this.alpha), tf.div(tf.softplus(negL), this.beta));
    const valid = tf.reshape(tf.mul(rowHas(ctx.allPos), rowHas(ctx.allNeg)), [ctx.n]);
    return [{ losses, mask: valid, anchors: 'rows' }];
  }
}
