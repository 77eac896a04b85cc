import * as tf from '@tensorflow/tfjs-core';
import { BaseMiner, type MinerContext, type MinerOptions, nonzeroPairs } from './base-miner';
import { type IndicesTuple, pairIndices } from '../utils/indices-tuple';
import { checkNumber } from '../utils/check-options';

export interface PairMarginMinerOptions extends MinerOptions {
  /** Positive pairs with D̃ > posMargin are kept (default 0.5). */
  readonly posMargin?: number;
  /** Negative pairs with D̃ < negMargin are kept (default 1). */
  readonly negMargin?: number;
}

/**
 * Pair mining by margins (pytorch-metric-learning's PairMarginMiner, the pairs a contrastive loss with the same
 * margins would find active; Hadsell et al. 2006): positive pairs with D̃(a, p) > m_pos, negative pairs with
 * D̃(a, n) < m_neg. Returns pairs.
 */
export class PairMarginMiner extends BaseMiner {
  readonly type = 'PairMarginMiner';
  readonly posMargin: number;
  readonly negMargin: number;

  constructor(options: PairMarginMinerOptions = {}) {
    super('PairMarginMiner', options);
    this.posMargin = checkNumber('PairMarginMiner', 'posMargin', options.posMargin, 0.5);
    this.negMargin = checkNumber('PairMarginMiner', 'negMargin', options.negMargin, 1);
  }

  protected select(ctx: MinerContext): IndicesTuple {
    const p = nonzeroPairs(tf.mul(ctx.pos, tf.cast(tf.greater(ctx.d, this.posMargin), 'float32')), ctx.m);
    const n = nonzeroPairs(tf.mul(ctx.neg, tf.cast(tf.less(ctx.d, this.negMargin), 'float32')), ctx.m);
    return pairIndices(p.rows, p.cols, n.rows, n.cols);
  }
}
