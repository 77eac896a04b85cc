import * as tf from '@tensorflow/tfjs-core';
import { describeValue } from '@empirical-bregman/common';
import { LossesError } from '../losses-error';
import { MeanReducer } from '../reducers/mean-reducer';
import { checkNumber } from '../utils/check-options';
import { count, maskedLogSumExp } from '../utils/masked-ops';
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
 * The margin is an angle, so the divergence must be `CosineDivergence` (D = 1 − cos) and the scale `'none'` (its
 * default here); anything else is a `LossesError`, as PML asserts `CosineSimilarity`. Cosines are clamped to
 * [−1 + 10⁻⁶, 1 − 10⁻⁶] so the angle's gradient stays finite. Default reducer: `MeanReducer` over positive pairs
 * (PML's); a batch without negatives is 0.
 *
 *   const loss = new TupletMarginLoss({ divergence: new CosineDivergence() });
 */
export class TupletMarginLoss extends MetricLoss {
  readonly type = 'TupletMarginLoss';
  /** m in degrees. */
  readonly margin: number;
  readonly softmaxScale: number;

  constructor(options: TupletMarginLossOptions = {}) {
    super('TupletMarginLoss', { ...options, scale: options.scale ?? 'none' }, new MeanReducer());
    const type = options.divergence?.type;
    if (type !== 'CosineDivergence') {
      throw new LossesError(
        'TupletMarginLoss',
        'INVALID_ARGUMENT',
        `expected a CosineDivergence (the margin is an angle), got ${type === undefined ? 'the default SquaredEuclideanDivergence' : describeValue(type)}`,
      );
    }
    if (this.scale !== 'none') {
      throw new LossesError(
        'TupletMarginLoss',
        'INVALID_ARGUMENT',
        `expected scale 'none' (cosines are absolute), got ${describeValue(this.scale)}`,
      );
    }
    this.margin = checkNumber('TupletMarginLoss', 'margin', options.margin, 5.73);
    this.softmaxScale = checkNumber('TupletMarginLoss', 'softmaxScale', options.softmaxScale, 64, 'positive');
  }

  protected terms(ctx: LossContext): LossTerm[] {
    const eps = 1e-6;
    const c = tf.clipByValue(tf.sub(1, ctx.rawD), -1 + eps, 1 - eps);
    const m = (this.margin * Math.PI) / 180;
    // cos(θ − m) = cos θ cos m + sin θ sin m, sin θ = √(1 − cos²θ) (θ ∈ [0, π]).
    const shifted = tf.add(tf.mul(c, Math.cos(m)), tf.mul(tf.sqrt(tf.sub(1, tf.square(c))), Math.sin(m)));
    const negL = maskedLogSumExp(tf.mul(c, this.softmaxScale), ctx.neg, 1, true); // [n, 1]
    const losses = tf.softplus(tf.sub(negL, tf.mul(shifted, this.softmaxScale)));
    const anyNeg = tf.cast(tf.greater(count(ctx.neg), 0), 'float32');
    return [{ losses, mask: tf.mul(ctx.pos, anyNeg), anchors: 'rows' }];
  }
}
