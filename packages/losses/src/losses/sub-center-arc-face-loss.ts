import * as tf from '@tensorflow/tfjs-core';
import { MeanReducer } from '../reducers/mean-reducer';
import { checkNumber, checkPositiveInteger } from '../utils/check-options';
import { additiveAngularMargin } from './arc-face-loss';
import { angularOptions } from '../utils/angular-options';
import { ClassWeightsLoss } from './class-weights-loss';
import type { LossContext, MetricLossOptions } from './metric-loss';
import type { ProxyOptions } from './proxies';

export interface SubCenterArcFaceLossOptions extends MetricLossOptions, ProxyOptions {
  /** K, the sub-centers of each class (default 3, as PML's `sub_centers`). `initialProxies` then has C·K rows. */
  readonly subCenters?: number;
  /** m, the additive angular margin in **radians** (default 0.5; PML takes degrees, 28.6°). */
  readonly margin?: number;
  /** s, the logit scale (default 64; PML's `scale`). */
  readonly logitScale?: number;
}

/**
 * Sub-center ArcFace (Deng et al. 2020, "Sub-center ArcFace: boosting face recognition by large-scale noisy web
 * faces", ECCV; PML's `SubCenterArcFaceLoss`): ArcFace with K weights per class, a sample's cosine to a class
 * being its largest cosine to the class's sub-centers, so noisy samples gather at a sub-center of their own:
 *
 *   cos θ_ic = max_k (1 − D(x_i, w_c^k)),   then ArcFace's logits and cross-entropy (see `ArcFaceLoss`).
 *
 * Angular only (`CosineDivergence`, the default; scale `'none'`). The weights are `proxies`, [C·K, d], row c·K + k
 * sub-center k of class c (PML's column order). PML's `get_outliers` (dropping samples far from the dominant
 * sub-center) is not provided. Default reducer: `MeanReducer` over samples.
 *
 * @example
 * const loss = new SubCenterArcFaceLoss({ numClasses: 10, embeddingDim: 64, subCenters: 3 });
 */
export class SubCenterArcFaceLoss extends ClassWeightsLoss {
  readonly type = 'SubCenterArcFaceLoss';
  readonly subCenters: number;
  readonly margin: number;
  readonly logitScale: number;

  constructor(options: SubCenterArcFaceLossOptions) {
    const opts = angularOptions('SubCenterArcFaceLoss', options);
    const k = checkPositiveInteger('SubCenterArcFaceLoss', 'subCenters', opts.subCenters ?? 3);
    super('SubCenterArcFaceLoss', opts, new MeanReducer(), k);
    this.subCenters = k;
    this.margin = checkNumber('SubCenterArcFaceLoss', 'margin', options.margin, 0.5, 'nonnegative');
    this.logitScale = checkNumber('SubCenterArcFaceLoss', 'logitScale', options.logitScale, 64, 'positive');
  }

  protected logits(ctx: LossContext, target: tf.Tensor2D): tf.Tensor2D {
    const cos = tf.max(this.perClass(tf.sub(1, ctx.rawD) as tf.Tensor2D), 2);
    const margined = additiveAngularMargin(cos, this.margin);
    return tf.mul(this.logitScale, tf.where(tf.greater(target, 0), margined, cos)) as tf.Tensor2D;
  }
}
