import * as tf from '@tensorflow/tfjs-core';
import { CosineDivergence } from '@empirical-bregman/bregman-core';
import type { Reducer } from '../reducers/reducer';
import { checkPositiveInteger } from '../utils/check-options';
import { rowHas } from '../utils/similarity';
import { type LossContext, type LossTerm, MetricLoss, type MetricLossOptions } from './metric-loss';
import { createProxies, type ProxyOptions } from './proxies';

/**
 * The base of the classification losses (internal, not exported from the index; PML's `WeightRegularizerMixin`
 * losses): C·K learnable class weights ("proxies", PML's `W` / `fc` transposed), row c·K + k the k-th center of
 * class c, in the *reference* slot of D. The `MetricLoss` base builds D(x_i, w_j) with one `pairwise` call; a
 * subclass turns it into class logits z [n, C] and the loss is the softmax cross-entropy
 *
 *   ℓ_i = log Σ_c e^{z_ic} − z_{i,y_i},   averaged over the samples whose label is in 0..C−1 (default `MeanReducer`).
 *
 * The weights are `trainableVariables` (the CLI hands them to the optimiser), the rows a `weightRegularizer`
 * penalises, and `dispose()` frees them. No indices tuple or reference set (the weights are the reference set).
 */
export abstract class ClassWeightsLoss extends MetricLoss {
  /** C, the number of classes. */
  readonly numClasses: number;
  /** K, the weights (centers) per class (1 except SubCenterArcFace and SoftTriple). */
  readonly centersPerClass: number;
  /** The class weights, [C·K, d], row c·K + k the k-th center of class c. */
  readonly proxies: tf.Variable;

  protected constructor(
    component: string,
    options: MetricLossOptions & ProxyOptions,
    defaultReducer: Reducer,
    centersPerClass: number,
  ) {
    super(component, options, defaultReducer);
    this.numClasses = checkPositiveInteger(component, 'numClasses', options?.numClasses);
    this.centersPerClass = centersPerClass;
    this.proxies = createProxies(
      component,
      { ...options, numClasses: this.numClasses * centersPerClass },
      this.divergence.dim,
    );
  }

  /** Class logits z [n, C] from the context (D to the C·K weights in `ctx.rawD` / `ctx.d`) and the targets. */
  protected abstract logits(ctx: LossContext, target: tf.Tensor2D): tf.Tensor2D;

  protected override proxySet(): { proxies: tf.Variable; centersPerClass: number } {
    return { proxies: this.proxies, centersPerClass: this.centersPerClass };
  }

  protected terms(ctx: LossContext): LossTerm[] {
    const c = this.numClasses;
    // One-hot targets [n, C]; a label outside 0..C−1 gives a zero row, and the sample does not count.
    const target = tf.cast(
      tf.equal(tf.reshape(ctx.labels, [ctx.n, 1]), tf.reshape(tf.range(0, c, 1, 'int32'), [1, c])),
      'float32',
    ) as tf.Tensor2D;
    const z = this.logits(ctx, target);
    const losses = tf.sub(tf.logSumExp(z, 1), tf.sum(tf.mul(target, z), 1));
    // Per-sample terms: sample i is the anchor (so ClassWeightedReducer and PerAnchorReducer apply).
    return [{ losses, mask: tf.reshape(rowHas(target), [ctx.n]), anchors: 'rows' }];
  }

  /** [n, C·K] → [n, C, K] (row c·K + k of the weights is center k of class c). */
  protected perClass(x: tf.Tensor2D): tf.Tensor3D {
    return tf.reshape(x, [x.shape[0], this.numClasses, this.centersPerClass]);
  }
}

/** Options of the losses that default to the cosine divergence: `divergence` defaults to `CosineDivergence`. */
export function withCosineDefault<T extends MetricLossOptions>(options: T): T {
  return { ...options, divergence: options?.divergence ?? new CosineDivergence() };
}
