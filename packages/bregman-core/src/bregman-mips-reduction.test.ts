import * as tf from '@tensorflow/tfjs-core';
import { IcnnConvexFunction, NegativeEntropy, SquaredNorm } from '@empirical-bregman/convex-net';
import { describe, expect, it } from 'vitest';
import { BregmanCoreError } from './bregman-core-error';
import { BregmanDivergence } from './bregman-divergence';
import { BregmanMipsReduction } from './bregman-mips-reduction';
import type { QuerySlot } from './divergence';
import {
  innerProductFromSquaredDistance,
  mipsToNearestNeighbour,
  nearestNeighbourQueries,
} from './mips-to-nearest-neighbour';
import { SquaredEuclideanDivergence } from './squared-euclidean-divergence';

const K = 10;

/**
 * Checks that the top-K of `scores` (largest first) and of `divergences` (smallest first) agree up to ties: an
 * item in one list but not the other must have a divergence within `tol[i]` of the K-th smallest.
 * Returns the fraction of queries whose top-K sets are identical.
 */
function expectSameTopK(scores: tf.Tensor2D, divergences: tf.Tensor2D, tol: Float32Array): number {
  const [m, n] = divergences.shape;
  const [s, dIdx, dVal] = tf.tidy(() => {
    const byDiv = tf.topk(tf.neg(divergences), K);
    return [tf.topk(scores, K).indices.dataSync(), byDiv.indices.dataSync(), byDiv.values.dataSync()];
  });
  const all = divergences.dataSync();
  let identical = 0;
  for (let i = 0; i < m; i++) {
    const a = new Set(Array.from(s.slice(i * K, (i + 1) * K)));
    const b = new Set(Array.from(dIdx.slice(i * K, (i + 1) * K)));
    const kth = -dVal[i * K + K - 1];
    let same = true;
    for (const j of a) {
      if (b.has(j)) continue;
      same = false;
      expect(all[i * n + j] - kth).toBeLessThanOrEqual(tol[i]);
    }
    if (same) identical++;
  }
  return identical / m;
}

describe('BregmanMipsReduction', () => {
  it('builds the vectors of the formulas (SquaredNorm, by hand)', () => {
    // φ = ½‖x‖²: left slot, item y → [y; ½‖y‖² − ‖y‖²] = [y; −½‖y‖²], query [q; 1], offset ½‖q‖².
    const left = new BregmanMipsReduction(new SquaredNorm({ dim: 2 }));
    expect(left.width).toBe(3);
    expect(left.databaseVectors(tf.tensor2d([[1, 2]])).arraySync()).toEqual([[1, 2, -2.5]]);
    const lq = left.queryVectors(tf.tensor2d([[3, 4]]));
    expect(lq.vectors.arraySync()).toEqual([[3, 4, 1]]);
    expect(Array.from(lq.offsets.dataSync())).toEqual([12.5]);
    // score = 3 + 8 − 2.5 = 8.5, D = 12.5 − 8.5 = 4 = ½‖(3, 4) − (1, 2)‖².
    expect(BregmanMipsReduction.divergenceFromScore(8.5, 12.5)).toBe(4);
    // Right slot: item x → [x; ½‖x‖²], query [q; −1], offset ‖q‖² − ½‖q‖².
    const right = new BregmanMipsReduction(new SquaredNorm({ dim: 2 }), { querySlot: 'right' });
    expect(right.databaseVectors(tf.tensor2d([[1, 2]])).arraySync()).toEqual([[1, 2, 2.5]]);
    const rq = right.queryVectors(tf.tensor2d([[3, 4]]));
    expect(rq.vectors.arraySync()).toEqual([[3, 4, -1]]);
    expect(Array.from(rq.offsets.dataSync())).toEqual([12.5]);
  });

  for (const slot of ['left', 'right'] as QuerySlot[]) {
    it(`ICNN φ, 1,000 queries × 5,000 items, query in the ${slot} slot: same top-10 and divergences as brute force`, async () => {
      const d = 8;
      const phi = new IcnnConvexFunction({ dim: d, hiddenSizes: [32, 32], seed: 5 });
      const div = new BregmanDivergence(phi);
      const items = tf.randomNormal([5000, d], 0, 2, 'float32', 1) as tf.Tensor2D;
      const queries = tf.randomNormal([1000, d], 0, 2, 'float32', 2) as tf.Tensor2D;
      const before = tf.memory().numTensors;
      const mips = new BregmanMipsReduction(phi, { querySlot: slot });
      const db = mips.databaseVectors(items);
      const q = mips.queryVectors(queries);
      expect(db.shape).toEqual([5000, d + 1]);
      expect(q.vectors.shape).toEqual([1000, d + 1]);
      // Queries in chunks of 250, yielding to the event loop in between (the cpu backend is slow at this size).
      let identical = 0;
      for (let start = 0; start < 1000; start += 250) {
        const qv = tf.slice(q.vectors, [start, 0], [250, -1]) as tf.Tensor2D;
        const qo = tf.slice(q.offsets, [start], [250]) as tf.Tensor1D;
        const qx = tf.slice(queries, [start, 0], [250, -1]) as tf.Tensor2D;
        const scores = tf.matMul(qv, db, false, true) as tf.Tensor2D;
        const brute =
          slot === 'left'
            ? div.pairwise(qx, items)
            : tf.tidy(() => tf.transpose(div.pairwise(items, qx)) as tf.Tensor2D);
        const recovered = mips.divergences(scores, qo);
        // Float32 cancellation in offset − score: tolerance relative to the size of both terms.
        const [excess, tol] = tf.tidy(() => {
          const size = tf.add(tf.abs(tf.reshape(qo, [-1, 1])), tf.abs(scores));
          const err = tf.sub(tf.abs(tf.sub(recovered, brute)), tf.add(tf.mul(2e-6, size), 1e-5));
          return [tf.max(err), tf.add(tf.mul(4e-6, tf.max(size, 1)), 1e-5)];
        });
        expect(excess.dataSync()[0]).toBeLessThanOrEqual(0);
        identical += 250 * expectSameTopK(scores, brute, tol.dataSync() as Float32Array);
        tf.dispose([qv, qo, qx, scores, brute, recovered, excess, tol]);
        await new Promise((resolve) => setImmediate(resolve));
      }
      expect(identical / 1000).toBeGreaterThanOrEqual(0.99);
      tf.dispose([db, q.vectors, q.offsets]);
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose([items, queries]);
      div.dispose();
    });
  }

  it('MIPS → nearest neighbour: equal norms, L2 ranking = inner-product ranking, scores recovered', () => {
    const phi = new NegativeEntropy({ dim: 6 });
    const items = tf.randomUniform([2000, 6], 0.05, 2, 'float32', 3) as tf.Tensor2D;
    const queries = tf.randomUniform([200, 6], 0.05, 2, 'float32', 4) as tf.Tensor2D;
    const mips = new BregmanMipsReduction(phi, { querySlot: 'left' });
    const db = mips.databaseVectors(items);
    const q = mips.queryVectors(queries);
    const before = tf.memory().numTensors;
    const nn = mipsToNearestNeighbour(db);
    const nq = nearestNeighbourQueries(q.vectors);
    expect(nn.vectors.shape).toEqual([2000, 8]);
    expect(nq.shape).toEqual([200, 8]);
    const norms = tf.tidy(() => tf.sqrt(tf.sum(tf.square(nn.vectors), 1)).dataSync());
    for (const v of norms) expect(Math.abs(v - nn.maxNorm) / nn.maxNorm).toBeLessThan(1e-5);
    const scores = tf.matMul(q.vectors, db, false, true) as tf.Tensor2D;
    const l2 = new SquaredEuclideanDivergence().pairwise(nq, nn.vectors);
    const m2 = nn.maxNorm ** 2;
    const tol = new Float32Array(200).fill(1e-5 * m2);
    expect(expectSameTopK(scores, l2, tol)).toBeGreaterThan(0.9);
    // Recover one score from its squared distance.
    const qn = tf.tidy(() => tf.sum(tf.square(q.vectors), 1).dataSync());
    const s00 = scores.dataSync()[0];
    const d00 = l2.dataSync()[0];
    expect(Math.abs(innerProductFromSquaredDistance(d00, qn[0], nn.maxNorm) - s00)).toBeLessThan(1e-5 * (m2 + qn[0]));
    tf.dispose([nn.vectors, nq, scores, l2]);
    expect(tf.memory().numTensors).toBe(before);
    expect(() => mipsToNearestNeighbour(db, 0.5)).toThrowError(/maxNorm >= the largest row norm/);
  });

  it('gives clear errors for width mismatches', () => {
    const mips = new BregmanMipsReduction(new SquaredNorm({ dim: 3 }));
    expect(() => mips.databaseVectors(tf.zeros([4, 2]) as tf.Tensor2D)).toThrowError(BregmanCoreError);
    expect(() => mips.queryVectors(tf.zeros([4, 4]) as tf.Tensor2D)).toThrowError(/width 3/);
    expect(() => mips.divergences(tf.zeros([2, 5]) as tf.Tensor2D, tf.zeros([3]) as tf.Tensor1D)).toThrowError(
      /offsets of shape \[2\]/,
    );
    expect(() => new BregmanMipsReduction(new SquaredNorm({ dim: 3 }), { querySlot: 'up' as QuerySlot })).toThrowError(
      /querySlot/,
    );
  });
});
