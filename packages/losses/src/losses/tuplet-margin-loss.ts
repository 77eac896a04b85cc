import * as tf from '@tensorflow/tfjs-core';
import { MeanReducer } from '../reducers/mean-reducer';
import { angularOptions } from '../utils/angular-options';
import { checkNumber } from '../utils/check-options';
import { count, maskedLogSumExp } from '../utils/masked-ops';
import { shiftedCosine } from '../utils/shifted-cosine';
import { type LossContext, type LossTerm, MetricLoss, type MetricLossOptions } from './metric-loss';

export interface TupletMarginLossOptions extends MetricLossOptions {
  /** m, the angular margin in degrees (default 5.73, PML's; ≈ 0.1 rad). */
  readonly margin?: number;
  /** γ, the scale of the logits (default 64; PML calls it `scale`, a name this package gives the divergence scale). */
  readonly softmaxScale?: number;
}

/**
 * Tuplet margin loss (Yu & Tao 2019, "Deep metric learning with tuplet margin loss", ICCV), per positive pair (a, p),
 * with cosines c = 1 − D and angles θ = arccos c:
 *
 *   ℓ(a, p) = log(1 + Σ_{n∈N(a)} e^{γ (c_an − cos(θ_ap − m))}).
 *
 * The margin is an angle, so the divergence must be `CosineDivergence` (D = 1 − cos; the default, as for ArcFace)
 * and the scale `'none'` (the default here); anything else is a `LossesError`, as PML asserts `CosineSimilarity`.
 * cos(θ − m) is computed without arccos, with a finite gradient at c = ±1. Default reducer: `MeanReducer` over
 * positive pairs (PML's); a batch without negatives is 0.
 *
 *   const loss = new TupletMarginLoss(); // CosineDivergence, m = 5.73°, γ = 64
 */
export class TupletMarginLoss extends MetricLoss {
  readonly type = 'TupletMarginLoss';
  /** m in degrees. */
  readonly margin: number;
  readonly softmaxScale: number;

  constructor(options: TupletMarginLossOptions = {}) {
    super('TupletMarginLoss', angularOptions('TupletMarginLoss', options), new MeanReducer());
    this.margin = checkNumber('TupletMarginLoss', 'margin', options.margin, 5.73);
    this.softmaxScale = checkNumber('TupletMarginLoss', 'softmaxScale', options.softmaxScale, 64, 'positive');
  }

  protected terms(ctx: LossContext): LossTerm[] {
    const c = tf.sub(1, ctx.rawD);
    // cos(θ − m), θ = arccos c, without arccos (shared with ArcFace).
    const shifted = shiftedCosine(c, -(this.margin * Math.PI) / 180);
    const negL = maskedLogSumExp(tf.mul(c, this.softmaxScale), ctx.neg, 1, true); // [n, 1]
    const losses = tf.softplus(tf.sub(negL, tf.mul(shifted, this.softmaxScale)));
    const anyNeg = tf.cast(tf.greater(count(ctx.neg), 0), 'float32');
    return [{ losses, mask: tf.mul(ctx.pos, anyNeg), anchors: 'rows' }];
  }
}
