import { SeededRandom } from '@empirical-bregman/common';
import { describe, expect, it } from 'vitest';
import { EpochBatches } from './epoch-batches';

describe('EpochBatches', () => {
  it("takes batch after batch of the epoch's seeded permutation, wrapping around, the same for the same seed", () => {
    const order = Array.from(new SeededRandom('7/task/batches/2').permutation(5));
    const batches = new EpochBatches('7/task', 5, 3);
    expect(Array.from(batches.indices(2, 1))).toEqual(order.slice(0, 3));
    // Batch 2 wraps: items 3, 4, then 0 of the permutation.
    expect(Array.from(batches.indices(2, 2))).toEqual([order[3], order[4], order[0]]);
    expect(Array.from(new EpochBatches('7/task', 5, 3).indices(2, 2))).toEqual(Array.from(batches.indices(2, 2)));
    // Another epoch, another permutation.
    const next = Array.from(new SeededRandom('7/task/batches/3').permutation(5));
    expect(Array.from(batches.indices(3, 1))).toEqual(next.slice(0, 3));
  });
});
