import * as tf from '@tensorflow/tfjs-core';
import { BaseMiner, type MinerContext, type MinerOptions, nonzeroPairs } from './base-miner';
import { type IndicesTuple, pairIndices } from '../utils/indices-tuple';
import { maskedMax, maskedMin } from '../utils/masked-ops';
import { checkNumber } from '../utils/check-options';

export interface MultiSimilarityMinerOptions extends MinerOptions {
  /** ε, the mining margin (paper default 0.1). */
  readonly epsilon?: number;
}

/**
 * The pair mining step of the multi-similarity loss (Wang et al. 2019, CVPR), with S = 1 − D̃: a negative pair is
 * kept if S_an > min_p S_ap − ε, i.e. D̃(a, n) < max_p D̃(a, p) + ε; a positive pair if S_ap < max_n S_an + ε, i.e.
 * D̃(a, p) > min_n D̃(a, n) − ε. An anchor without negatives keeps no positives and vice versa. Returns pairs.
 */
export class MultiSimilarityMiner extends BaseMiner {
  readonly type = 'MultiSimilarityMiner';
  readonly epsilon: number;

  constructor(options: MultiSimilarityMinerOptions = {}) {
    super('MultiSimilarityMiner', options);
    this.epsilon = checkNumber('MultiSimilarityMiner', 'epsilon', options.epsilon, 0.1, 'nonnegative');
  }

  protected select(ctx: MinerContext): IndicesTuple {
    const { d, pos, neg, m } = ctx;
    const hardestPos = maskedMax(d, pos, 1, true);
    const hardestNeg = maskedMin(d, neg, 1, true);
    const keepNeg = tf.mul(neg, tf.cast(tf.less(d, tf.add(hardestPos, this.epsilon)), 'float32'));
    const keepPos = tf.mul(pos, tf.cast(tf.greater(d, tf.sub(hardestNeg, this.epsilon)), 'float32'));
    const p = nonzeroPairs(keepPos, m);
    const n = nonzeroPairs(keepNeg, m);
    return pairIndices(p.rows, p.cols, n.rows, n.cols);
  }
}
