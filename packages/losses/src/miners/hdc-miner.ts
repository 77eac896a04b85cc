import { BaseMiner, type MinerContext, type MinerOptions } from './base-miner';
import { type IndicesTuple, pairIndices } from '../utils/indices-tuple';
import { LossesError } from '../losses-error';
import { describeValue } from '@empirical-bregman/common';

export interface HDCMinerOptions extends MinerOptions {
  /** f ∈ (0, 1], the fraction of the positive and of the negative pairs kept (default 0.5, PML's). */
  readonly filterPercentage?: number;
}

/**
 * Hard pairs of the whole batch (Yuan et al. 2017, "Hard-aware deeply cascaded embedding", ICCV; PML's HDCMiner):
 * the ⌈f·|P|⌉ positive pairs with the largest D̃ and the ⌈f·|N|⌉ negative pairs with the smallest, hardest first
 * (ties in row-major order). Ranks only, so the scale does not matter. Returns pairs. Differences from PML: PML's
 * default distance is `LpDistance` on normalised embeddings.
 */
export class HDCMiner extends BaseMiner {
  readonly type = 'HDCMiner';
  readonly filterPercentage: number;

  constructor(options: HDCMinerOptions = {}) {
    super('HDCMiner', options);
    const f = options.filterPercentage ?? 0.5;
    if (typeof f !== 'number' || !(f > 0 && f <= 1)) {
      throw new LossesError(
        'HDCMiner',
        'INVALID_ARGUMENT',
        `expected filterPercentage in (0, 1], got ${describeValue(f)}`,
      );
    }
    this.filterPercentage = f;
  }

  protected select(ctx: MinerContext): IndicesTuple {
    const { m } = ctx;
    const d = ctx.d.dataSync();
    const pick = (mask: ArrayLike<number>, largest: boolean) => {
      const idx: number[] = [];
      for (let k = 0; k < mask.length; k++) if ((mask[k] as number) > 0) idx.push(k);
      // Array.prototype.sort is stable: equal divergences keep their row-major order.
      idx.sort((x, y) => (largest ? (d[y] as number) - (d[x] as number) : (d[x] as number) - (d[y] as number)));
      const kept = idx.slice(0, Math.ceil(this.filterPercentage * idx.length));
      return { rows: kept.map((k) => Math.floor(k / m)), cols: kept.map((k) => k % m) };
    };
    const p = pick(ctx.pos.dataSync(), true);
    const n = pick(ctx.neg.dataSync(), false);
    return pairIndices(p.rows, p.cols, n.rows, n.cols);
  }
}
