import * as tf from '@tensorflow/tfjs-core';
import { AvgNonZeroReducer } from '../reducers/avg-non-zero-reducer';
import { checkNumber } from '../utils/check-options';
import { maskedLogSumExp, stopGradient } from '../utils/masked-ops';
import { rowHas, similarity } from '../utils/similarity';
import { type LossContext, type LossTerm, MetricLoss, type MetricLossOptions } from './metric-loss';

export interface CircleLossOptions extends MetricLossOptions {
  /** m, the relaxation margin (default 0.4, PML's and the paper's fine-grained retrieval setting). */
  readonly m?: number;
  /** γ, the scale of the logits (default 80). */
  readonly gamma?: number;
}

/**
 * Circle loss (Sun et al. 2020, "Circle loss: a unified perspective of pair similarity optimization", CVPR), per
 * anchor i, with similarities s = 1 − D̃ (see the README; the cosine similarity for `CosineDivergence` with
 * `scale: 'none'`, PML's setting):
 *
 *   ℓ_i = softplus( log Σ_{p∈P_i} e^{−γ α_p (s_ip − Δ_p)} + log Σ_{n∈N_i} e^{γ α_n (s_in − Δ_n)} ),
 *   α_p = [1 + m − s_ip]₊,  α_n = [s_in + m]₊  (not differentiated, as in the paper),  Δ_p = 1 − m,  Δ_n = m.
 *
 * An anchor counts only with at least one positive and one negative. Default reducer: `AvgNonZeroReducer` over
 * anchors (PML's). Differences from PML: PML's default distance is `CosineSimilarity` on normalised embeddings;
 * here the default divergence is squared Euclidean with the batch-mean scale.
 *
 *   const loss = new CircleLoss({ divergence: new CosineDivergence(), scale: 'none' }); // PML's CircleLoss
 */
export class CircleLoss extends MetricLoss {
  readonly type = 'CircleLoss';
  readonly m: number;
  readonly gamma: number;

  constructor(options: CircleLossOptions = {}) {
    super('CircleLoss', options, new AvgNonZeroReducer());
    this.m = checkNumber('CircleLoss', 'm', options.m, 0.4);
    this.gamma = checkNumber('CircleLoss', 'gamma', options.gamma, 80, 'positive');
  }

  protected terms(ctx: LossContext): LossTerm[] {
    const s = similarity(ctx.d);
    const fixed = stopGradient(s);
    const alphaP = tf.relu(tf.sub(1 + this.m, fixed));
    const alphaN = tf.relu(tf.add(fixed, this.m));
    const logitP = tf.mul(tf.mul(-this.gamma, alphaP), tf.sub(s, 1 - this.m));
    const logitN = tf.mul(tf.mul(this.gamma, alphaN), tf.sub(s, this.m));
    const losses = tf.softplus(tf.add(maskedLogSumExp(logitP, ctx.pos, 1), maskedLogSumExp(logitN, ctx.neg, 1)));
    const mask = tf.reshape(tf.mul(rowHas(ctx.pos), rowHas(ctx.neg)), [ctx.n]);
    return [{ losses, mask, anchors: 'rows' }];
  }
}
