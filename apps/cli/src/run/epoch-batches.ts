import { SeededRandom } from '@empirical-bregman/common';

/**
 * Batches of a task that draws plain (not m-per-class) batches: each epoch a seeded permutation of the `count`
 * training items, batch `step` (1-based) the next `batchSize` of it, wrapping around. Only the current epoch's
 * permutation is kept. Deterministic in (seed, epoch, step), so a resumed run draws the same batches.
 *
 * ```ts
 * const batches = new EpochBatches(`${config.seed}/divergence-regression`, train.count, config.batchSize);
 * const indices = batches.indices(epoch, step);
 * ```
 */
export class EpochBatches {
  private epoch = -1;
  private order: Int32Array = new Int32Array(0);

  /** @param seed the permutations' seed prefix (the epoch is appended). */
  constructor(
    private readonly seed: string,
    private readonly count: number,
    private readonly batchSize: number,
  ) {}

  /** The item indices of batch `step` (1-based) of `epoch`. */
  indices(epoch: number, step: number): Int32Array {
    if (epoch !== this.epoch) {
      this.order = new SeededRandom(`${this.seed}/batches/${epoch}`).permutation(this.count);
      this.epoch = epoch;
    }
    const order = this.order;
    return Int32Array.from(
      { length: this.batchSize },
      (_, i) => order[((step - 1) * this.batchSize + i) % order.length]!,
    );
  }
}
