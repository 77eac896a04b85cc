import * as tf from '@tensorflow/tfjs-core';
import { AvgNonZeroReducer } from '../reducers/avg-non-zero-reducer';
import { checkNumber } from '../utils/check-options';
import { maskedLogSumExp } from '../utils/masked-ops';
import { type LossContext, type LossTerm, MetricLoss, type MetricLossOptions } from './metric-loss';

export interface InstanceLossOptions extends MetricLossOptions {
  /** γ, the scale of the logits −γD̃ (default 64, PML's `gamma`). */
  readonly gamma?: number;
}

/**
 * Instance loss (Zheng et al. 2020, "Dual-path convolutional image-text embeddings with instance loss", ACM TOMM),
 * in PML's in-batch form: every sample is classified among the batch (itself included) by logits z_ij = −γD̃_ij,
 * its class being itself and its same-label samples T_i:
 *
 *   ℓ_i = −log Σ_{j∈T_i} softmax_j(z_i).
 *
 * With all labels distinct (or no labels, PML's case) T_i = {i}: each instance is its own class. With a reference
 * set there is no self column (T_i = the same-label references), unless it starts with the embeddings
 * (`refStartsWithEmbeddings`, `CrossBatchMemory`): then the self column is the instance's target, as without one
 * (`LossContext.self`). No tuple is accepted (PML ignores it). Default reducer: `AvgNonZeroReducer` over anchors
 * (PML's). Differences from PML: PML's logits are γ·cos (PML asserts
 * `CosineSimilarity`; `CosineDivergence` with `scale: 'none'` gives the same softmax), and with labels PML targets
 * the column whose index is the label's rank among the batch's labels, which is the sample itself only when the
 * labels are 0..n−1 in order; here the target is the instance with its class.
 */
export class InstanceLoss extends MetricLoss {
  readonly type = 'InstanceLoss';
  readonly gamma: number;

  constructor(options: InstanceLossOptions = {}) {
    super('InstanceLoss', options, new AvgNonZeroReducer());
    this.gamma = checkNumber('InstanceLoss', 'gamma', options.gamma, 64, 'positive');
  }

  protected override get acceptsIndicesTuple(): boolean {
    return false;
  }

  protected terms(ctx: LossContext): LossTerm[] {
    const z = tf.mul(ctx.d, -this.gamma);
    // The self column (also at the head of a memory bank that starts with the batch) is the instance's own target.
    const target = tf.add(ctx.allPos, ctx.self);
    const all = tf.add(target, ctx.allNeg);
    const losses = tf.sub(maskedLogSumExp(z, all, 1), maskedLogSumExp(z, target, 1));
    return [{ losses, mask: tf.cast(tf.greater(tf.sum(target, 1), 0), 'float32'), anchors: 'rows' }];
  }
}
