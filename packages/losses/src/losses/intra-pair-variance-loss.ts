import * as tf from '@tensorflow/tfjs-core';
import { MeanReducer } from '../reducers/mean-reducer';
import { checkNumber } from '../utils/check-options';
import { maskedMean } from '../utils/masked-ops';
import { type LossContext, type LossTerm, MetricLoss, type MetricLossOptions } from './metric-loss';

export interface IntraPairVarianceLossOptions extends MetricLossOptions {
  /** ε⁺, the tolerance around the mean positive divergence (default 0.01, PML's `pos_eps`). */
  readonly posEps?: number;
  /** ε⁻, the tolerance around the mean negative divergence (default 0.01, PML's `neg_eps`). */
  readonly negEps?: number;
}

/**
 * Intra-pair variance loss (Yu et al. 2019, "Deep metric learning with tuplet margin loss", ICCV), written for a
 * divergence (smaller is closer), as PML writes it for a non-inverted distance: with μ⁺, μ⁻ the mean D̃ over the
 * positive and negative pairs (differentiated through),
 *
 *   ℓ⁺(a, p) = [D̃_ap − (1 + ε⁺) μ⁺]₊²,   ℓ⁻(a, n) = [(1 − ε⁻) μ⁻ − D̃_an]₊²,
 *
 * i.e. positives much farther, and negatives much closer, than their class of pairs is on average. Term 0 is the
 * positive pairs, term 1 the negative pairs, each reduced by the reducer (default `MeanReducer`, PML's) and summed.
 * Differences from PML: PML's default is `CosineSimilarity` (pos: [(1 − ε⁺)μ⁺ − s]₊², neg: [s − (1 + ε⁻)μ⁻]₊²);
 * here the divergence form, whose ε multiply the mean divergence instead of the mean similarity.
 */
export class IntraPairVarianceLoss extends MetricLoss {
  readonly type = 'IntraPairVarianceLoss';
  readonly posEps: number;
  readonly negEps: number;

  constructor(options: IntraPairVarianceLossOptions = {}) {
    super('IntraPairVarianceLoss', options, new MeanReducer());
    this.posEps = checkNumber('IntraPairVarianceLoss', 'posEps', options.posEps, 0.01);
    this.negEps = checkNumber('IntraPairVarianceLoss', 'negEps', options.negEps, 0.01);
  }

  protected terms(ctx: LossContext): LossTerm[] {
    const { d, pos, neg } = ctx;
    const posLoss = tf.square(tf.relu(tf.sub(d, tf.mul(maskedMean(d, pos), 1 + this.posEps))));
    const negLoss = tf.square(tf.relu(tf.sub(tf.mul(maskedMean(d, neg), 1 - this.negEps), d)));
    return [
      { losses: posLoss, mask: pos, anchors: 'rows' },
      { losses: negLoss, mask: neg, anchors: 'rows' },
    ];
  }
}
