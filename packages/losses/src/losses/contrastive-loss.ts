import * as tf from '@tensorflow/tfjs-core';
import { AvgNonZeroReducer } from '../reducers/avg-non-zero-reducer';
import { type LossContext, type LossTerm, MetricLoss, type MetricLossOptions } from './metric-loss';
import { checkNumber } from '../utils/check-options';

export interface ContrastiveLossOptions extends MetricLossOptions {
  /** m_pos: positive pairs closer than this cost nothing (default 0). */
  readonly posMargin?: number;
  /** m_neg: negative pairs farther than this cost nothing (default 1, i.e. the batch-mean divergence by default). */
  readonly negMargin?: number;
}

/**
 * Contrastive loss (Hadsell, Chopra & LeCun 2006, "Dimensionality reduction by learning an invariant mapping",
 * CVPR), with the two margins of pytorch-metric-learning:
 *
 *   ℓ⁺(a, p) = [D̃(a, p) − m_pos]₊,   ℓ⁻(a, n) = [m_neg − D̃(a, n)]₊,
 *
 * each reduced over its pairs (default `AvgNonZeroReducer`) and summed. D̃ = D / s (see `DivergenceScale`).
 * With a single class the positive term stays active: pulling positives together is this loss's own gradient.
 */
export class ContrastiveLoss extends MetricLoss {
  readonly type = 'ContrastiveLoss';
  readonly posMargin: number;
  readonly negMargin: number;

  constructor(options: ContrastiveLossOptions = {}) {
    super('ContrastiveLoss', options, new AvgNonZeroReducer());
    this.posMargin = checkNumber('ContrastiveLoss', 'posMargin', options.posMargin, 0);
    this.negMargin = checkNumber('ContrastiveLoss', 'negMargin', options.negMargin, 1);
  }

  protected terms(ctx: LossContext): LossTerm[] {
    return [
      { losses: tf.relu(tf.sub(ctx.d, this.posMargin)), mask: ctx.pos, anchors: 'rows' },
      { losses: tf.relu(tf.sub(this.negMargin, ctx.d)), mask: ctx.neg, anchors: 'rows' },
    ];
  }
}
