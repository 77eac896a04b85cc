import * as tf from '@tensorflow/tfjs-core';
import { describeValue } from '@empirical-bregman/common';
import { LossesError } from '../losses-error';
import { count, isOn } from '../utils/masked-ops';
import type { Reducer, ReductionInfo } from './reducer';

export interface ClassWeightedReducerOptions {
  /** w_c, the weight of class c (index = label; finite, ≥ 0). Labels outside 0..C−1 get weight 0. */
  readonly weights: readonly number[];
}

/**
 * Mean of the class-weighted losses (pytorch-metric-learning's `ClassWeightedReducer`):
 *
 *   (1/K) Σ_k w_{y(a_k)} ℓ_k,
 *
 * over the K existing elements, each weighted by the class of its anchor a_k; 0 when there are none. Needs anchored
 * elements (every pair, triplet and per-anchor loss, and the per-sample classification and proxy losses: ArcFace,
 * CosFace, NormalizedSoftmax, SoftTriple, ProxyNCA, …, PML's main use); terms that declare no anchors
 * (ProxyAnchor's per-proxy terms, HistogramLoss) are a `LossesError`.
 *
 *   new ContrastiveLoss({ reducer: new ClassWeightedReducer({ weights: [1, 0.5, 2] }) })
 *   new ArcFaceLoss({ numClasses: 3, embeddingDim: 64, reducer: new ClassWeightedReducer({ weights: [1, 0.5, 2] }) })
 */
export class ClassWeightedReducer implements Reducer {
  readonly type = 'ClassWeightedReducer';
  readonly weights: readonly number[];

  constructor(options: ClassWeightedReducerOptions) {
    const w = (options as Partial<ClassWeightedReducerOptions> | undefined)?.weights;
    if (!Array.isArray(w) || w.length === 0 || !w.every((v) => typeof v === 'number' && Number.isFinite(v) && v >= 0)) {
      throw new LossesError(
        'ClassWeightedReducer',
        'INVALID_ARGUMENT',
        `expected weights as a non-empty array of finite numbers ≥ 0, got ${describeValue(w)}`,
      );
    }
    this.weights = [...w];
  }

  reduce(losses: tf.Tensor, mask: tf.Tensor, info?: ReductionInfo): tf.Scalar {
    if (info?.anchors === null || info?.anchors === undefined) {
      throw new LossesError(
        'ClassWeightedReducer.reduce',
        'INVALID_ARGUMENT',
        'expected elements with anchors (a pair, triplet, per-anchor or per-sample loss), got a term without anchors',
      );
    }
    const anchors = info.anchors;
    return tf.tidy(() => {
      // Weight of each anchor through a one-hot product: a label outside the weights selects nothing (weight 0).
      const c = this.weights.length;
      const perAnchor = tf.sum(
        tf.mul(tf.cast(tf.oneHot(info.labels, c), 'float32'), tf.tensor1d([...this.weights])),
        1,
      );
      const w = tf.gather(perAnchor, anchors);
      const l = tf.where(isOn(mask), tf.mul(losses, w), tf.zeros(losses.shape));
      return tf.div(tf.sum(l), tf.maximum(count(mask), 1)) as tf.Scalar;
    });
  }
}
