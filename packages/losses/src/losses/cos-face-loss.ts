import * as tf from '@tensorflow/tfjs-core';
import { MeanReducer } from '../reducers/mean-reducer';
import { checkNumber } from '../utils/check-options';
import { similarity } from '../utils/similarity';
import { ClassWeightsLoss, withCosineDefault } from './class-weights-loss';
import type { LossContext, MetricLossOptions } from './metric-loss';
import type { ProxyOptions } from './proxies';

export interface CosFaceLossOptions extends MetricLossOptions, ProxyOptions {
  /** m, the additive margin subtracted from the target's similarity (default 0.35, as PML). */
  readonly margin?: number;
  /** s, the logit scale (default 64; PML's `scale`, renamed: `scale` is the divergence scale control here). */
  readonly logitScale?: number;
}

/**
 * CosFace (Wang et al. 2018, "CosFace: large margin cosine loss for deep face recognition", CVPR; PML's
 * `CosFaceLoss`): a softmax over similarities to C learnable class weights w_c, the target's lowered by m:
 *
 *   z_ic = s·(S_ic − m·[c = y_i]),   S_ic = 1 − D̃(x_i, w_c),   ℓ_i = −log softmax_{y_i}(z_i).
 *
 * Over any divergence: since the softmax ignores the constant s, z_ic ≅ −s·(D̃(x_i, w_c) + m·[c = y_i]), an
 * additive margin on the divergence to the own class weight (a margin ProxyNCA). With `CosineDivergence` (the
 * default) and `scale: 'none'`, S is the cosine and this is exactly PML's CosFace; the default `'batch-mean'` scale
 * (this project's default everywhere) makes s and m relative to the batch's mean divergence to the weights.
 * The weights are `trainableVariables` (`proxies`, [C, d]). Default reducer: `MeanReducer` over samples.
 *
 * @example
 * const loss = new CosFaceLoss({ numClasses: 10, embeddingDim: 64, scale: 'none' }); // exactly PML's defaults
 */
export class CosFaceLoss extends ClassWeightsLoss {
  readonly type = 'CosFaceLoss';
  readonly margin: number;
  readonly logitScale: number;

  constructor(options: CosFaceLossOptions) {
    super('CosFaceLoss', withCosineDefault(options), new MeanReducer(), 1);
    this.margin = checkNumber('CosFaceLoss', 'margin', options.margin, 0.35);
    this.logitScale = checkNumber('CosFaceLoss', 'logitScale', options.logitScale, 64, 'positive');
  }

  protected logits(ctx: LossContext, target: tf.Tensor2D): tf.Tensor2D {
    return tf.mul(this.logitScale, tf.sub(similarity(ctx.d), tf.mul(this.margin, target))) as tf.Tensor2D;
  }
}
