import * as tf from '@tensorflow/tfjs-core';
import { maskedLogSumExp } from '../utils/masked-ops';
import { MeanReducer } from '../reducers/mean-reducer';
import { type LossContext, type LossTerm, MetricLoss, type MetricLossOptions } from './metric-loss';
import { checkNumber } from '../utils/check-options';
import { rowHas } from '../utils/similarity';

export interface LiftedStructureLossOptions extends MetricLossOptions {
  /** m, the margin of the negatives (default 1, the batch-mean divergence by default). */
  readonly margin?: number;
}

/**
 * Generalised lifted structure loss (Song et al. 2016, "Deep metric learning via lifted structured feature
 * embedding", CVPR; generalised per anchor by Hermans et al. 2017, "In defense of the triplet loss"):
 *
 *   ℓ_a = [ log Σ_{p∈P(a)} e^{D̃(a, p)} + log Σ_{n∈N(a)} e^{m − D̃(a, n)} ]₊,
 *
 * a smooth version of "hardest positive minus hardest negative plus margin". An anchor counts only with at least
 * one positive and one negative. Default reducer: `MeanReducer` over anchors.
 */
export class LiftedStructureLoss extends MetricLoss {
  readonly type = 'LiftedStructureLoss';
  readonly margin: number;

  constructor(options: LiftedStructureLossOptions = {}) {
    super('LiftedStructureLoss', options, new MeanReducer());
    this.margin = checkNumber('LiftedStructureLoss', 'margin', options.margin, 1);
  }

  protected terms(ctx: LossContext): LossTerm[] {
    const posL = maskedLogSumExp(ctx.d, ctx.pos, 1);
    const negL = maskedLogSumExp(tf.sub(this.margin, ctx.d), ctx.neg, 1);
    const valid = tf.reshape(tf.mul(rowHas(ctx.pos), rowHas(ctx.neg)), [ctx.n]);
    return [{ losses: tf.relu(tf.add(posL, negL)), mask: valid, anchors: 'rows' }];
  }
}
