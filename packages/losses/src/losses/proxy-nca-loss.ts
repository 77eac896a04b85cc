import * as tf from '@tensorflow/tfjs-core';
import { maskedLogSumExp } from '../utils/masked-ops';
import { MeanReducer } from '../reducers/mean-reducer';
import { type LossContext, type LossTerm, MetricLoss, type MetricLossOptions } from './metric-loss';
import { checkNumber } from '../utils/check-options';
import { createProxies, type ProxyOptions } from './proxies';
import { rowHas } from '../utils/similarity';

export interface ProxyNCALossOptions extends MetricLossOptions, ProxyOptions {
  /** σ, multiplies −D̃ in the softmax (default 1, the paper's unscaled form). */
  readonly softmaxScale?: number;
}

/**
 * ProxyNCA (Movshovitz-Attias et al. 2017, "No fuss distance metric learning using proxies", ICCV): NCA against
 * one learnable proxy p_c per class, the proxy in the *reference* slot of D (D(x, p_c) with the default anchor slot):
 *
 *   ℓ_i = −log( e^{−σD̃(x_i, p_{y_i})} / Σ_c e^{−σD̃(x_i, p_c)} ).
 *
 * As in pytorch-metric-learning (and Teh et al. 2020's ProxyNCA++) the own proxy is part of the denominator, which
 * keeps the loss bounded below. Rows whose label is outside 0..C−1 do not count. The proxies are
 * `trainableVariables` of the loss (optimise them with the network); `dispose()` frees them.
 * Default reducer: `MeanReducer` over samples.
 */
export class ProxyNCALoss extends MetricLoss {
  readonly type = 'ProxyNCALoss';
  readonly softmaxScale: number;
  /** The proxies, [C, d]. */
  readonly proxies: tf.Variable;

  constructor(options: ProxyNCALossOptions) {
    super('ProxyNCALoss', options, new MeanReducer());
    this.softmaxScale = checkNumber('ProxyNCALoss', 'softmaxScale', options.softmaxScale, 1, 'positive');
    this.proxies = createProxies('ProxyNCALoss', options, this.divergence.dim);
  }

  protected override proxySet(): { proxies: tf.Variable; centersPerClass: number } {
    return { proxies: this.proxies, centersPerClass: 1 };
  }

  protected terms(ctx: LossContext): LossTerm[] {
    const z = tf.mul(ctx.d, -this.softmaxScale);
    const losses = tf.sub(maskedLogSumExp(z, tf.ones(z.shape), 1), maskedLogSumExp(z, ctx.pos, 1));
    return [{ losses, mask: tf.reshape(rowHas(ctx.pos), [ctx.n]), anchors: 'rows' }];
  }
}
