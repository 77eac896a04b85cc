import * as tf from '@tensorflow/tfjs-core';
import { normalizeRows } from '@empirical-bregman/bregman-core';
import { MeanReducer } from '../reducers/mean-reducer';
import { checkNumber } from '../utils/check-options';
import { ClassWeightsLoss } from './class-weights-loss';
import type { LossContext, MetricLossOptions } from './metric-loss';
import type { ProxyOptions } from './proxies';

export interface NormalizedSoftmaxLossOptions extends MetricLossOptions, ProxyOptions {
  /** τ, the temperature of the logits −D̃/τ (default 0.05, PML's). */
  readonly temperature?: number;
}

/**
 * Normalized softmax (Zhai & Wu 2019, "Classification is a strong baseline for deep metric learning", BMVC; PML's
 * `NormalizedSoftmaxLoss`): a softmax over the divergences to C class weights normalised to unit length,
 *
 *   z_ic = −D̃(x_i, ŵ_c)/τ,   ŵ_c = w_c/‖w_c‖,   ℓ_i = −log softmax_{y_i}(z_i).
 *
 * PML's default (dot-product similarity, z = ⟨x, ŵ_c⟩/τ) is this with the default `SquaredEuclideanDivergence`,
 * `scale: 'none'` and τ = 2·τ_PML: −‖x − ŵ_c‖²/(2τ) = (⟨x, ŵ_c⟩ − ½‖x‖² − ½)/τ, and the softmax drops the terms
 * that do not depend on c. PML with `CosineSimilarity` is this with `CosineDivergence`, `scale: 'none'` and the same
 * τ. A zero weight row normalises to ŵ = 0 with a zero gradient (bregman-core's `normalizeRows`, the
 * `CosineDivergence` convention). The raw weights are `proxies` ([C, d]; a `weightRegularizer` sees them unnormalised, as in PML).
 * Default reducer: `MeanReducer` over samples.
 *
 * @example
 * const loss = new NormalizedSoftmaxLoss({ numClasses: 10, embeddingDim: 64, temperature: 0.1 });
 */
export class NormalizedSoftmaxLoss extends ClassWeightsLoss {
  readonly type = 'NormalizedSoftmaxLoss';
  readonly temperature: number;

  constructor(options: NormalizedSoftmaxLossOptions) {
    super('NormalizedSoftmaxLoss', options, new MeanReducer(), 1);
    this.temperature = checkNumber('NormalizedSoftmaxLoss', 'temperature', options.temperature, 0.05, 'positive');
  }

  protected override proxyReferenceRows(proxies: tf.Variable): tf.Tensor2D {
    // bregman-core's one row normalisation: a zero row gives ŵ = 0 with a zero gradient (not NaN), as in
    // CosineDivergence.
    return normalizeRows(proxies as tf.Tensor2D);
  }

  protected logits(ctx: LossContext): tf.Tensor2D {
    return tf.div(tf.neg(ctx.d), this.temperature) as tf.Tensor2D;
  }
}
