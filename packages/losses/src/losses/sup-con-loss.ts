import * as tf from '@tensorflow/tfjs-core';
import { maskedLogSumExp } from '../utils/masked-ops';
import { MeanReducer } from '../reducers/mean-reducer';
import { type LossContext, type LossTerm, MetricLoss, type MetricLossOptions } from './metric-loss';
import { checkNumber } from '../utils/check-options';
import { rowHas } from '../utils/similarity';

export interface SupConLossOptions extends MetricLossOptions {
  /** τ, the temperature of the logits −D̃/τ (default 0.1). */
  readonly temperature?: number;
}

/**
 * Supervised contrastive loss (Khosla et al. 2020, "Supervised contrastive learning", NeurIPS, the L_out form),
 * with logits z = −D̃/τ, per anchor i with positives P(i) and all other references A(i) = P(i) ∪ N(i):
 *
 *   ℓ_i = −(1/|P(i)|) Σ_{p∈P(i)} log( e^{z_ip} / Σ_{a∈A(i)} e^{z_ia} ).
 *
 * Anchors without positives do not count. A one-class batch gives the finite value log |P(i)|. Default reducer:
 * `MeanReducer` over anchors.
 */
export class SupConLoss extends MetricLoss {
  readonly type = 'SupConLoss';
  readonly temperature: number;

  constructor(options: SupConLossOptions = {}) {
    super('SupConLoss', options, new MeanReducer());
    this.temperature = checkNumber('SupConLoss', 'temperature', options.temperature, 0.1, 'positive');
  }

  protected terms(ctx: LossContext): LossTerm[] {
    const z = tf.div(tf.neg(ctx.d), this.temperature);
    const all = tf.minimum(tf.add(ctx.pos, ctx.neg), 1);
    const lse = maskedLogSumExp(z, all, 1);
    const nPos = tf.sum(ctx.pos, 1);
    const meanPos = tf.div(tf.sum(tf.where(tf.greater(ctx.pos, 0), z, tf.zerosLike(z)), 1), tf.maximum(nPos, 1));
    return [{ losses: tf.sub(lse, meanPos), mask: tf.reshape(rowHas(ctx.pos), [ctx.n]), anchors: 'rows' }];
  }
}
