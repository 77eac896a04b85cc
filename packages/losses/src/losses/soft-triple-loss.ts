import * as tf from '@tensorflow/tfjs-core';
import { MeanReducer } from '../reducers/mean-reducer';
import { checkNumber, checkPositiveInteger } from '../utils/check-options';
import { similarity } from '../utils/similarity';
import { ClassWeightsLoss, withCosineDefault } from './class-weights-loss';
import type { LossContext, MetricLossOptions } from './metric-loss';
import type { ProxyOptions } from './proxies';

export interface SoftTripleLossOptions extends MetricLossOptions, ProxyOptions {
  /** K, the centers of each class (default 10, PML's `centers_per_class`). `initialProxies` then has C·K rows. */
  readonly centersPerClass?: number;
  /** λ, the logit scale (default 20; PML's `la`). */
  readonly lambda?: number;
  /** γ, the temperature of the soft assignment to a class's centers (default 0.1, as PML). */
  readonly gamma?: number;
  /** δ, the margin subtracted from the target's similarity (default 0.01; PML's `margin`). */
  readonly margin?: number;
}

/**
 * SoftTriple (Qian et al. 2019, "SoftTriple loss: deep metric learning without triplet sampling", ICCV; PML's
 * `SoftTripleLoss`): K centers per class; a sample's similarity to a class is the soft-max-weighted mean of its
 * similarities to the class's centers, then a softmax with a margin:
 *
 *   S_ic = Σ_k softmax_k(s_ick/γ)·s_ick,   s_ick = 1 − D̃(x_i, w_c^k),
 *   ℓ_i = −log softmax_{y_i}(λ(S_i − δ·e_{y_i})).
 *
 * Over any divergence through s = 1 − D̃; with `CosineDivergence` (the default) and `scale: 'none'` it is exactly
 * PML's (which, like this class, leaves the paper's center regularizer to a separate `SparseCentersRegularizer`,
 * attached as `weightRegularizer`). The centers are `proxies`, [C·K, d], row c·K + k center k of class c.
 * Default reducer: `MeanReducer` over samples.
 *
 * @example
 * const loss = new SoftTripleLoss({ numClasses: 10, embeddingDim: 64, centersPerClass: 4 });
 */
export class SoftTripleLoss extends ClassWeightsLoss {
  readonly type = 'SoftTripleLoss';
  readonly lambda: number;
  readonly gamma: number;
  readonly margin: number;

  constructor(options: SoftTripleLossOptions) {
    const k = checkPositiveInteger('SoftTripleLoss', 'centersPerClass', options?.centersPerClass ?? 10);
    super('SoftTripleLoss', withCosineDefault(options), new MeanReducer(), k);
    this.lambda = checkNumber('SoftTripleLoss', 'lambda', options.lambda, 20, 'positive');
    this.gamma = checkNumber('SoftTripleLoss', 'gamma', options.gamma, 0.1, 'positive');
    this.margin = checkNumber('SoftTripleLoss', 'margin', options.margin, 0.01);
  }

  protected logits(ctx: LossContext, target: tf.Tensor2D): tf.Tensor2D {
    const s = this.perClass(similarity(ctx.d) as tf.Tensor2D);
    const assignment = tf.softmax(tf.div(s, this.gamma), 2);
    const classSimilarity = tf.sum(tf.mul(assignment, s), 2);
    return tf.mul(this.lambda, tf.sub(classSimilarity, tf.mul(this.margin, target))) as tf.Tensor2D;
  }
}
