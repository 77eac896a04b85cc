import * as tf from '@tensorflow/tfjs-core';
import { MeanReducer } from '../reducers/mean-reducer';
import { maskedLogSumExp } from '../utils/masked-ops';
import { type LossContext, type LossTerm, MetricLoss, type MetricLossOptions } from './metric-loss';

/** Options of {@link NPairsLoss} (only the shared ones: the loss has no hyper-parameter, like PML's). */
export type NPairsLossOptions = MetricLossOptions;

/**
 * N-pairs loss (Sohn 2016, "Improved deep metric learning with multi-class N-pair loss objective", NeurIPS): one
 * pair (a_c, p_c) per class c, each anchor classifying its own positive among all the chosen positives, with
 * logits z = −D̃:
 *
 *   ℓ_c = −log( e^{−D̃(a_c, p_c)} / Σ_{c'} e^{−D̃(a_c, p_{c'})} ).
 *
 * As in PML, a_c is the first row (lowest index) of class c that has a positive (mined ones when a tuple is given)
 * and p_c its first positive. Default reducer: `MeanReducer` over the chosen anchors (PML's). Differences from
 * PML: PML's logits are dot products a·p (its default `DotProductSimilarity`); −D̃ with `CosineDivergence` and
 * `scale: 'none'` gives PML with `CosineSimilarity` (the constant 1 cancels in the softmax). Squared Euclidean
 * D = ‖a‖² + ‖p‖² − 2a·p also penalises ‖p_{c'}‖², unlike the dot product.
 */
export class NPairsLoss extends MetricLoss {
  readonly type = 'NPairsLoss';

  constructor(options: NPairsLossOptions = {}) {
    super('NPairsLoss', options, new MeanReducer());
  }

  protected terms(ctx: LossContext): LossTerm[] {
    const { n, pos, d } = ctx;
    // Label comparisons and masks only: nothing here is on the differentiated path but D̃.
    const hasPos = tf.cast(tf.greater(tf.sum(pos, 1), 0), 'float32'); // [n]
    const sameA = tf.cast(tf.equal(tf.reshape(ctx.labels, [n, 1]), tf.reshape(ctx.labels, [1, n])), 'float32');
    const earlier = tf.sub(tf.linalg.bandPart(tf.ones([n, n]), -1, 0), tf.eye(n)); // [i, j] = 1 for j < i
    const before = tf.sum(tf.mul(tf.mul(sameA, earlier), tf.reshape(hasPos, [1, n])), 1);
    const chosen = tf.mul(hasPos, tf.cast(tf.equal(before, 0), 'float32')); // [n]
    const firstPos = tf.mul(pos, tf.cast(tf.equal(tf.cumsum(pos, 1, true), 0), 'float32')); // [n, m]
    const z = tf.matMul(d, firstPos, false, true); // [i, k] = D̃(a_i, p_k)
    const cols = tf.broadcastTo(tf.reshape(chosen, [1, n]), [n, n]);
    const lse = maskedLogSumExp(tf.neg(z), cols, 1);
    const own = tf.sum(tf.mul(z, tf.eye(n)), 1);
    return [{ losses: tf.add(lse, own), mask: chosen, anchors: 'rows' }];
  }
}
