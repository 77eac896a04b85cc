import * as tf from '@tensorflow/tfjs-core';
import { maskedLogSumExp } from '../utils/masked-ops';
import { MeanReducer } from '../reducers/mean-reducer';
import { type LossContext, type LossTerm, MetricLoss, type MetricLossOptions } from './metric-loss';
import { checkNumber } from '../utils/check-options';
import { createProxies, type ProxyOptions } from './proxies';
import { similarity } from '../utils/similarity';

export interface ProxyAnchorLossOptions extends MetricLossOptions, ProxyOptions {
  /** α, the scaling factor (paper default 32). */
  readonly alpha?: number;
  /** δ, the margin (paper default 0.1). */
  readonly delta?: number;
}

/**
 * Proxy-Anchor loss (Kim et al. 2020, "Proxy anchor loss for deep metric learning", CVPR), with similarities
 * s = 1 − D̃ (see the README) and the proxies in the *reference* slot of D:
 *
 *   ℓ = (1/|P⁺|) Σ_{p∈P⁺} log(1 + Σ_{x∈X⁺_p} e^{−α(s(x,p) − δ)}) + (1/|P|) Σ_{p∈P} log(1 + Σ_{x∈X⁻_p} e^{α(s(x,p) + δ)}),
 *
 * P⁺ the proxies with positives in the batch, P all proxies. Each proxy is one element of two terms (default
 * `MeanReducer`, giving exactly the two averages above; the terms also carry PML's divisors |P⁺| and |P| for
 * `DivisorReducer`). The proxies are `trainableVariables` of the loss.
 */
export class ProxyAnchorLoss extends MetricLoss {
  readonly type = 'ProxyAnchorLoss';
  readonly alpha: number;
  readonly delta: number;
  /** The proxies, [C, d]. */
  readonly proxies: tf.Variable;

  constructor(options: ProxyAnchorLossOptions) {
    super('ProxyAnchorLoss', options, new MeanReducer());
    this.alpha = checkNumber('ProxyAnchorLoss', 'alpha', options.alpha, 32, 'positive');
    this.delta = checkNumber('ProxyAnchorLoss', 'delta', options.delta, 0.1);
    this.proxies = createProxies('ProxyAnchorLoss', options, this.divergence.dim);
  }

  protected override proxySet(): { proxies: tf.Variable; centersPerClass: number } {
    return { proxies: this.proxies, centersPerClass: 1 };
  }

  protected terms(ctx: LossContext): LossTerm[] {
    // Proxies are the columns: reduce over the samples (axis 0).
    const s = similarity(ctx.d);
    const posL = maskedLogSumExp(tf.mul(-this.alpha, tf.sub(s, this.delta)), ctx.pos, 0);
    const negL = maskedLogSumExp(tf.mul(this.alpha, tf.add(s, this.delta)), ctx.neg, 0);
    const hasPos = tf.cast(tf.greater(tf.sum(ctx.pos, 0), 0), 'float32');
    // PML's divisors (for DivisorReducer): the proxies with a positive sample, and all C proxies. The default
    // MeanReducer over the masks gives the same two averages.
    return [
      { losses: tf.softplus(posL), mask: hasPos, anchors: null, divisor: tf.sum(hasPos) as tf.Scalar },
      {
        losses: tf.softplus(negL),
        mask: tf.ones(hasPos.shape),
        anchors: null,
        divisor: tf.scalar(hasPos.shape[0] as number),
      },
    ];
  }
}
