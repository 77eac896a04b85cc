import * as tf from '@tensorflow/tfjs-core';
import { maskedLogSumExp } from '../utils/masked-ops';
import { MeanReducer } from '../reducers/mean-reducer';
import { type LossContext, type LossTerm, MetricLoss, type MetricLossOptions } from './metric-loss';
import { checkNumber } from '../utils/check-options';
import { rowHas } from '../utils/similarity';

export interface NCALossOptions extends MetricLossOptions {
  /** Multiplies −D̃ in the softmax (default 1, the paper's unscaled form). */
  readonly softmaxScale?: number;
}

/**
 * Neighbourhood components analysis (Goldberger et al. 2004, "Neighbourhood components analysis", NeurIPS): the
 * probability that anchor i picks a neighbour of its own class under a softmax over −D̃,
 *
 *   p_ij = e^{−σD̃_ij} / Σ_{k≠i} e^{−σD̃_ik},   ℓ_i = −log Σ_{j∈P(i)} p_ij,
 *
 * σ = `softmaxScale`. Anchors without positives do not count. Default reducer: `MeanReducer` over anchors.
 */
export class NCALoss extends MetricLoss {
  readonly type = 'NCALoss';
  readonly softmaxScale: number;

  constructor(options: NCALossOptions = {}) {
    super('NCALoss', options, new MeanReducer());
    this.softmaxScale = checkNumber('NCALoss', 'softmaxScale', options.softmaxScale, 1, 'positive');
  }

  protected terms(ctx: LossContext): LossTerm[] {
    const z = tf.mul(ctx.d, -this.softmaxScale);
    const all = tf.minimum(tf.add(ctx.pos, ctx.neg), 1);
    const losses = tf.sub(maskedLogSumExp(z, all, 1), maskedLogSumExp(z, ctx.pos, 1));
    return [{ losses, mask: tf.reshape(rowHas(ctx.pos), [ctx.n]), anchors: 'rows' }];
  }
}
