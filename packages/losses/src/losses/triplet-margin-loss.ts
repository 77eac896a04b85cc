import * as tf from '@tensorflow/tfjs-core';
import { AvgNonZeroReducer } from '../reducers/avg-non-zero-reducer';
import { type LossContext, type LossTerm, MetricLoss, type MetricLossOptions } from './metric-loss';
import { checkNumber } from '../utils/check-options';

export interface TripletMarginLossOptions extends MetricLossOptions {
  /** α, the margin between positive and negative divergences (default 0.2, relative to the batch mean by default). */
  readonly margin?: number;
  /** Soft margin ln(1 + e^{D̃(a,p) − D̃(a,n)}) instead of the hinge (Hermans et al. 2017); `margin` is then unused. */
  readonly softMargin?: boolean;
}

/**
 * Triplet margin loss (Weinberger & Saul 2009, "Distance metric learning for large margin nearest neighbor
 * classification", JMLR; Schroff et al. 2015, "FaceNet", CVPR):
 *
 *   ℓ(a, p, n) = [D̃(a, p) − D̃(a, n) + α]₊     (hinge, default)
 *   ℓ(a, p, n) = ln(1 + exp(D̃(a, p) − D̃(a, n)))  (soft margin; Hermans et al. 2017, "In defense of the triplet loss")
 *
 * with the anchor a in the anchor slot of D. Without a tuple every valid triplet is used ("batch all") through a
 * [n, m, m] mask over the one divergence matrix; a pair tuple becomes the triplets sharing an anchor (same mask); a
 * triplet tuple is gathered from the matrix. Default reducer: `AvgNonZeroReducer`.
 */
export class TripletMarginLoss extends MetricLoss {
  readonly type = 'TripletMarginLoss';
  readonly margin: number;
  readonly softMargin: boolean;

  constructor(options: TripletMarginLossOptions = {}) {
    super('TripletMarginLoss', options, new AvgNonZeroReducer());
    this.margin = checkNumber('TripletMarginLoss', 'margin', options.margin, 0.2);
    this.softMargin = options.softMargin === true;
  }

  private hinge(x: tf.Tensor): tf.Tensor {
    return this.softMargin ? tf.softplus(x) : tf.relu(tf.add(x, this.margin));
  }

  protected terms(ctx: LossContext): LossTerm[] {
    const { d, n, m } = ctx;
    if (ctx.triplets !== null) {
      const { a, p, n: neg } = ctx.triplets;
      if (a.shape[0] === 0) return [];
      const flat = tf.reshape(d, [-1]);
      const rowStart = tf.mul(a, tf.scalar(m, 'int32'));
      const dap = tf.gather(flat, tf.add(rowStart, p));
      const dan = tf.gather(flat, tf.add(rowStart, neg));
      const losses = this.hinge(tf.sub(dap, dan));
      return [{ losses, mask: tf.ones(losses.shape), anchors: a }];
    }
    const x = tf.sub(tf.reshape(d, [n, m, 1]), tf.reshape(d, [n, 1, m]));
    const mask = tf.mul(tf.reshape(ctx.pos, [n, m, 1]), tf.reshape(ctx.neg, [n, 1, m]));
    return [{ losses: this.hinge(x), mask, anchors: 'rows' }];
  }
}
