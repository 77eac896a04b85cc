import * as tf from '@tensorflow/tfjs-core';
import { MeanReducer } from '../reducers/mean-reducer';
import { checkNumber } from '../utils/check-options';
import { shiftedCosine } from '../utils/shifted-cosine';
import { angularOptions } from '../utils/angular-options';
import { ClassWeightsLoss } from './class-weights-loss';
import type { LossContext, MetricLossOptions } from './metric-loss';
import type { ProxyOptions } from './proxies';

export interface ArcFaceLossOptions extends MetricLossOptions, ProxyOptions {
  /** m, the additive angular margin in **radians** (default 0.5, the paper's; PML takes degrees, 28.6°). */
  readonly margin?: number;
  /** s, the logit scale (default 64; PML's `scale`, renamed: `scale` is the divergence scale control here). */
  readonly logitScale?: number;
}

/**
 * cos θ of the target class with the additive angular margin: cos(θ + m) while θ + m ≤ π, and past that point
 * cos θ − m·sin m, which keeps the logit decreasing in θ (PML's and InsightFace's choice). cos(θ + m) is
 * `shiftedCosine` (no arccos; internal, shared with SubCenterArcFace).
 */
export function additiveAngularMargin(cos: tf.Tensor, m: number): tf.Tensor {
  const withMargin = shiftedCosine(cos, m);
  // θ ≤ π − m ⇔ cos θ ≥ cos(π − m).
  return tf.where(tf.greaterEqual(cos, Math.cos(Math.PI - m)), withMargin, tf.sub(cos, m * Math.sin(m)));
}

/**
 * ArcFace (Deng et al. 2019, "ArcFace: additive angular margin loss for deep face recognition", CVPR; PML's
 * `ArcFaceLoss`): a softmax over the cosines to C learnable class weights w_c, the target's angle widened by m:
 *
 *   z_ic = s·cos θ_ic (c ≠ y_i),   z_{i,y_i} = s·cos(θ_{i,y_i} + m),   cos θ_ic = 1 − D(x_i, w_c),
 *   ℓ_i = −log softmax_{y_i}(z_i).
 *
 * Angular only: the divergence must be `CosineDivergence` (the default); any other is refused with a
 * `LossesError`, since no angle is defined for a general divergence (use `CosFaceLoss`, whose additive margin
 * on D̃ is defined for every divergence). The scale must be `'none'`. Rows whose label is outside 0..C−1 do not
 * count. The weights are `trainableVariables` (`proxies`, [C, d]). Default reducer: `MeanReducer` over samples.
 *
 * @example
 * const loss = new ArcFaceLoss({ numClasses: 10, embeddingDim: 64 }); // cosine, m = 0.5 rad, s = 64
 * optimizer.minimize(() => loss.compute(net(x), labels), false, [...netVars, ...loss.trainableVariables]);
 */
export class ArcFaceLoss extends ClassWeightsLoss {
  readonly type = 'ArcFaceLoss';
  readonly margin: number;
  readonly logitScale: number;

  constructor(options: ArcFaceLossOptions) {
    super('ArcFaceLoss', angularOptions('ArcFaceLoss', options), new MeanReducer(), 1);
    this.margin = checkNumber('ArcFaceLoss', 'margin', options.margin, 0.5, 'nonnegative');
    this.logitScale = checkNumber('ArcFaceLoss', 'logitScale', options.logitScale, 64, 'positive');
  }

  protected logits(ctx: LossContext, target: tf.Tensor2D): tf.Tensor2D {
    const cos = tf.sub(1, ctx.rawD);
    const margined = additiveAngularMargin(cos, this.margin);
    return tf.mul(this.logitScale, tf.where(tf.greater(target, 0), margined, cos)) as tf.Tensor2D;
  }
}
