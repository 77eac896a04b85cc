import * as tf from '@tensorflow/tfjs-core';
import { maskedLogSumExp } from '../utils/masked-ops';
import { MeanReducer } from '../reducers/mean-reducer';
import { type LossContext, type LossTerm, MetricLoss, type MetricLossOptions } from './metric-loss';
import { checkNumber } from '../utils/check-options';

export interface NTXentLossOptions extends MetricLossOptions {
  /** τ, the temperature of the logits −D̃/τ (default 0.1). */
  readonly temperature?: number;
}

/**
 * NT-Xent / InfoNCE (van den Oord et al. 2018, "Representation learning with contrastive predictive coding";
 * Chen et al. 2020, "A simple framework for contrastive learning of visual representations", ICML), with logits
 * z = −D̃/τ. For every positive pair (a, p):
 *
 *   ℓ(a, p) = −log( e^{z_ap} / (e^{z_ap} + Σ_{n∈N(a)} e^{z_an}) ) = softplus( log Σ_{n∈N(a)} e^{z_an} − z_ap ),
 *
 * so an anchor without negatives costs exactly 0. Default reducer: `MeanReducer` over positive pairs.
 */
export class NTXentLoss extends MetricLoss {
  readonly type: string = 'NTXentLoss';
  readonly temperature: number;

  constructor(options: NTXentLossOptions = {}) {
    super('NTXentLoss', options, new MeanReducer());
    this.temperature = checkNumber('NTXentLoss', 'temperature', options.temperature, 0.1, 'positive');
  }

  protected terms(ctx: LossContext): LossTerm[] {
    const z = tf.div(tf.neg(ctx.d), this.temperature);
    const negL = maskedLogSumExp(z, ctx.neg, 1, true);
    return [{ losses: tf.softplus(tf.sub(negL, z)), mask: ctx.pos, anchors: 'rows' }];
  }
}

/** InfoNCE: the same loss as {@link NTXentLoss} under its other name (van den Oord et al. 2018). */
export class InfoNCELoss extends NTXentLoss {
  override readonly type: string = 'InfoNCELoss';
}
