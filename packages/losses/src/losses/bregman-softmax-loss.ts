import * as tf from '@tensorflow/tfjs-core';
import { describeValue } from '@empirical-bregman/common';
import { LossesError } from '../losses-error';
import { maskedLogSumExp } from '../utils/masked-ops';
import { MeanReducer } from '../reducers/mean-reducer';
import { type LossContext, type LossTerm, MetricLoss, type MetricLossOptions } from './metric-loss';
import { checkNumber } from '../utils/check-options';
import { queryPaired, queryPairwise } from '../utils/query-pairwise';
import { createProxies, type ProxyOptions } from './proxies';
import { rowHas } from '../utils/similarity';

/** Where the class representatives μ_c come from. */
export type BregmanSoftmaxTarget = 'batch' | 'proxies';

export interface BregmanSoftmaxLossOptions extends MetricLossOptions, Partial<ProxyOptions> {
  /**
   * `'batch'` (default): μ_c is the arithmetic mean of the batch's (or reference set's) class-c embeddings,
   * leaving the anchor out of its own class; `'proxies'`: μ_c is a learnable proxy (needs `numClasses`).
   */
  readonly target?: BregmanSoftmaxTarget;
  /** τ, the temperature of the logits −D̃/τ (default 0.1; τ = 1 with scale 'none' is the exact posterior). */
  readonly temperature?: number;
  /** With proxies: learn class log-priors log π_c (default false: uniform priors). */
  readonly learnPriors?: boolean;
}

/**
 * The classification loss of the Bregman view (Banerjee et al. 2005, "Clustering with Bregman divergences", JMLR:
 * every regular exponential family is p(x | θ_c) = exp(−D_φ(x, μ_c)) b_φ(x), μ_c its mean parameter). The class
 * posterior of a mixture with priors π_c is a softmax over −D_φ to the class means, b_φ(x) cancelling:
 *
 *   p(c | x) = π_c e^{−D_φ(x, μ_c)} / Σ_k π_k e^{−D_φ(x, μ_k)},   ℓ_i = −log p(y_i | x_i),
 *
 * here with logits log π_c − D̃(x, μ_c)/τ. The class mean is in the *right* (reference) slot, where Bregman
 * centroids are arithmetic means (Banerjee et al. 2005, Prop. 1), which justifies the batch target: μ_c is the
 * mean of the class's embeddings (the anchor left out of its own class; an anchor with no other sample of its class
 * does not count). With `target: 'proxies'` μ_c are learnable proxies (a Bregman ProxyNCA with priors). Finite on
 * every batch (a one-class batch gives 0). Default reducer: `MeanReducer` over anchors.
 */
export class BregmanSoftmaxLoss extends MetricLoss {
  readonly type = 'BregmanSoftmaxLoss';
  readonly target: BregmanSoftmaxTarget;
  readonly temperature: number;
  /** The proxies [C, d] (target 'proxies' only). */
  readonly proxies: tf.Variable | null;
  /** Unnormalised log-priors ρ [C], π = softmax(ρ) (with `learnPriors` only). */
  readonly logPriors: tf.Variable | null;

  constructor(options: BregmanSoftmaxLossOptions = {}) {
    super('BregmanSoftmaxLoss', options, new MeanReducer());
    const target = options.target ?? 'batch';
    if (target !== 'batch' && target !== 'proxies') {
      throw new LossesError(
        'BregmanSoftmaxLoss',
        'INVALID_ARGUMENT',
        `expected target 'batch' or 'proxies', got ${describeValue(target)}`,
      );
    }
    this.target = target;
    this.temperature = checkNumber('BregmanSoftmaxLoss', 'temperature', options.temperature, 0.1, 'positive');
    if (target === 'proxies') {
      const proxies = createProxies('BregmanSoftmaxLoss', options as ProxyOptions, this.divergence.dim);
      this.proxies = proxies;
      this.logPriors =
        options.learnPriors === true ? tf.tidy(() => tf.variable(tf.zeros([proxies.shape[0]!]), true)) : null;
    } else {
      if (options.learnPriors === true) {
        throw new LossesError(
          'BregmanSoftmaxLoss',
          'INVALID_ARGUMENT',
          "expected learnPriors only with target 'proxies', got learnPriors with target 'batch'",
        );
      }
      this.proxies = null;
      this.logPriors = null;
    }
  }

  protected override proxySet(): { proxies: tf.Variable; centersPerClass: number } | null {
    return this.proxies === null ? null : { proxies: this.proxies, centersPerClass: 1 };
  }

  protected override get acceptsIndicesTuple(): boolean {
    return false;
  }

  override get trainableVariables(): tf.Variable[] {
    return this.logPriors === null ? super.trainableVariables : [...super.trainableVariables, this.logPriors];
  }

  protected terms(ctx: LossContext): LossTerm[] {
    if (this.proxies !== null) {
      let z = tf.div(tf.neg(ctx.d), this.temperature);
      if (this.logPriors !== null) z = tf.add(z, tf.reshape(tf.logSoftmax(this.logPriors), [1, ctx.m]));
      const losses = tf.sub(maskedLogSumExp(z, tf.ones(z.shape), 1), maskedLogSumExp(z, ctx.pos, 1));
      return [{ losses, mask: tf.reshape(rowHas(ctx.pos), [ctx.n]), anchors: 'rows' }];
    }
    return this.batchTerms(ctx);
  }

  private batchTerms(ctx: LossContext): LossTerm[] {
    const { n, m, reference, embeddings } = ctx;
    // Centroid of every reference's class, μ_{y_j} = mean{r_k : y_k = y_j}: [m, d].
    const refSame = tf.cast(
      tf.equal(tf.reshape(ctx.refLabels, [m, 1]), tf.reshape(ctx.refLabels, [1, m])),
      'float32',
    ) as tf.Tensor2D;
    const refCount = tf.sum(refSame, 1, true);
    const centroids = tf.div(tf.matMul(refSame, reference), refCount) as tf.Tensor2D;
    // Own-class centroid of every anchor (leave-one-out when the references are the embeddings): [n, d].
    const ownCount = tf.sum(ctx.allPos, 1, true);
    const hasOwn = tf.greater(ownCount, 0);
    const ownMean = tf.div(tf.matMul(ctx.allPos, reference), tf.maximum(ownCount, 1));
    const own = tf.where(tf.broadcastTo(hasOwn, [n, embeddings.shape[1]]), ownMean, embeddings) as tf.Tensor2D;
    const zOwn = tf.div(
      tf.neg(tf.div(queryPaired(ctx.divergence, ctx.querySlot, embeddings, own), ctx.s)),
      this.temperature,
    );
    // Other classes: every reference j of another class contributes e^{z(μ_{y_j})} / n_{y_j}, i.e. once per class.
    const dOther = tf.div(queryPairwise(ctx.divergence, ctx.querySlot, embeddings, centroids), ctx.s);
    const zOther = tf.sub(tf.div(tf.neg(dOther), this.temperature), tf.log(tf.reshape(refCount, [1, m])));
    const lOther = maskedLogSumExp(zOther, ctx.allNeg, 1);
    return [
      { losses: tf.softplus(tf.sub(lOther, zOwn)), mask: tf.reshape(tf.cast(hasOwn, 'float32'), [n]), anchors: 'rows' },
    ];
  }
}
