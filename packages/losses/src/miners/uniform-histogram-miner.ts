import { describeValue, SeededRandom } from '@empirical-bregman/common';
import { BaseMiner, type MinerContext, type MinerOptions } from './base-miner';
import { type IndicesTuple, pairIndices } from '../utils/indices-tuple';
import { LossesError } from '../losses-error';

export interface UniformHistogramMinerOptions extends MinerOptions {
  /** B, the number of equal-width bins between the smallest and largest D̃ of each kind (default 100). */
  readonly numBins?: number;
  /** Positive pairs drawn per non-empty bin, with replacement (default 10, PML's `pos_per_bin`). */
  readonly posPerBin?: number;
  /** Negative pairs drawn per non-empty bin, with replacement (default 10, PML's `neg_per_bin`). */
  readonly negPerBin?: number;
  /** Seed of the draws (default 0); the miner's stream advances at each `mine`. */
  readonly seed?: number;
}

/**
 * Pairs spread uniformly over the range of divergences (PML's UniformHistogramMiner): the positive pairs' D̃ range
 * [min, max] is cut into B equal bins (the last one closed), and `posPerBin` pairs are drawn uniformly with
 * replacement in every non-empty bin; likewise for the negatives. Returns pairs (repeats possible), bin by bin.
 * Bins are relative to the batch's range, so the scale does not matter. Differences from PML: PML's default
 * distance is `LpDistance` on normalised embeddings; draws are seeded (`seed`).
 */
export class UniformHistogramMiner extends BaseMiner {
  readonly type = 'UniformHistogramMiner';
  readonly numBins: number;
  readonly posPerBin: number;
  readonly negPerBin: number;
  private readonly rng: SeededRandom;

  constructor(options: UniformHistogramMinerOptions = {}) {
    super('UniformHistogramMiner', options);
    const int = (name: string, v: unknown, fallback: number, min: number): number => {
      const x = v === undefined ? fallback : v;
      if (typeof x !== 'number' || !Number.isInteger(x) || x < min) {
        throw new LossesError(
          'UniformHistogramMiner',
          'INVALID_ARGUMENT',
          `expected ${name} to be an integer ≥ ${min}, got ${describeValue(x)}`,
        );
      }
      return x;
    };
    this.numBins = int('numBins', options.numBins, 100, 1);
    this.posPerBin = int('posPerBin', options.posPerBin, 10, 0);
    this.negPerBin = int('negPerBin', options.negPerBin, 10, 0);
    this.rng = new SeededRandom(options.seed ?? 0);
  }

  protected select(ctx: MinerContext): IndicesTuple {
    const { m } = ctx;
    const d = ctx.d.dataSync();
    const draw = (mask: ArrayLike<number>, perBin: number) => {
      const idx: number[] = [];
      for (let k = 0; k < mask.length; k++) if ((mask[k] as number) > 0) idx.push(k);
      const rows: number[] = [];
      const cols: number[] = [];
      if (idx.length === 0 || perBin === 0) return { rows, cols };
      let lo = Number.POSITIVE_INFINITY;
      let hi = Number.NEGATIVE_INFINITY;
      for (const k of idx) {
        lo = Math.min(lo, d[k] as number);
        hi = Math.max(hi, d[k] as number);
      }
      const width = (hi - lo) / this.numBins;
      for (let b = 0; b < this.numBins; b++) {
        const start = lo + b * width;
        const last = b === this.numBins - 1;
        const end = last ? hi : lo + (b + 1) * width;
        const inBin = idx.filter((k) => {
          const v = d[k] as number;
          return v >= start && (last ? v <= end : v < end);
        });
        if (inBin.length === 0) continue;
        for (let t = 0; t < perBin; t++) {
          const k = inBin[this.rng.int(inBin.length)] as number;
          rows.push(Math.floor(k / m));
          cols.push(k % m);
        }
      }
      return { rows, cols };
    };
    const p = draw(ctx.pos.dataSync(), this.posPerBin);
    const n = draw(ctx.neg.dataSync(), this.negPerBin);
    return pairIndices(p.rows, p.cols, n.rows, n.cols);
  }
}
