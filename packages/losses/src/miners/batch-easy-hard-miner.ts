import { describeValue } from '@empirical-bregman/common';
import { LossesError } from '../losses-error';
import { BaseMiner, type MinerContext, type MinerOptions } from './base-miner';
import { selectPerAnchor } from './batch-hard-miner';
import type { IndicesTuple } from '../utils/indices-tuple';

export interface BatchEasyHardMinerOptions extends MinerOptions {
  /** `'easy'` (default): the nearest positive; `'hard'`: the farthest. */
  readonly positiveStrategy?: 'easy' | 'hard';
  /**
   * `'hard'` (default): the nearest negative; `'semihard'`: the nearest negative farther than the chosen positive;
   * `'easy'`: the farthest negative.
   */
  readonly negativeStrategy?: 'easy' | 'semihard' | 'hard';
}

/**
 * Easy-positive / hard-negative mining (Xuan, Stylianou & Pless 2020, "Improved embeddings with easy positive
 * triplet mining", WACV): per anchor, the nearest positive and the nearest negative (strategies configurable as in
 * pytorch-metric-learning's BatchEasyHardMiner), under D with the anchor in its slot. Returns triplets.
 */
export class BatchEasyHardMiner extends BaseMiner {
  readonly type = 'BatchEasyHardMiner';
  readonly positiveStrategy: 'easy' | 'hard';
  readonly negativeStrategy: 'easy' | 'semihard' | 'hard';

  constructor(options: BatchEasyHardMinerOptions = {}) {
    super('BatchEasyHardMiner', options);
    const ps = options.positiveStrategy ?? 'easy';
    const ns = options.negativeStrategy ?? 'hard';
    if ((ps !== 'easy' && ps !== 'hard') || (ns !== 'easy' && ns !== 'semihard' && ns !== 'hard')) {
      throw new LossesError(
        'BatchEasyHardMiner',
        'INVALID_ARGUMENT',
        `expected positiveStrategy 'easy'|'hard' and negativeStrategy 'easy'|'semihard'|'hard', got ${describeValue(ps)} and ${describeValue(ns)}`,
      );
    }
    this.positiveStrategy = ps;
    this.negativeStrategy = ns;
  }

  protected select(ctx: MinerContext): IndicesTuple {
    return selectPerAnchor(ctx, this.positiveStrategy, this.negativeStrategy);
  }
}
