import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { BregmanDivergence } from '@empirical-bregman/bregman-core';
import { SeededRandom } from '@empirical-bregman/common';
import { IcnnConvexFunction } from '@empirical-bregman/convex-net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exactKnn } from '../exact-knn';
import { SearchError } from '../search-error';
import { maxAffineTies } from '../testing/max-affine-ties';
import { annRecall, neighbourRecall } from './ann-recall';
import { BregmanAnnIndex } from './bregman-ann-index';

/** n items around `clusters` Gaussian centres in d dimensions. */
function clustered(rng: SeededRandom, n: number, d: number, clusters: number, spread = 0.5): Float32Array {
  const centres = rng.normalArray(clusters * d, 0, 2);
  const out = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    const c = rng.int(clusters);
    for (let t = 0; t < d; t++) out[i * d + t] = centres[c * d + t] + rng.normal(0, spread);
  }
  return out;
}

describe('BregmanAnnIndex (usearch HNSW through the MIPS → NN reduction)', () => {
  const d = 16;
  const n = 20_000;
  const nq = 400;
  const rng = new SeededRandom('ann');
  const all = clustered(rng, n + nq, d, 25);
  let items: tf.Tensor2D;
  let queries: tf.Tensor2D;
  let divergence: BregmanDivergence;
  const dir = mkdtempSync(join(tmpdir(), 'eval-ann-'));

  beforeAll(() => {
    items = tf.tensor2d(all.subarray(0, n * d), [n, d]);
    queries = tf.tensor2d(all.subarray(n * d), [nq, d]);
    divergence = new BregmanDivergence(new IcnnConvexFunction({ dim: d, hiddenSizes: [32, 32], seed: 7 }));
  });
  afterAll(() => {
    tf.dispose([items, queries]);
    divergence.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const querySlot of ['left', 'right'] as const) {
    it(`random ICNN divergence, 20,000 clustered items, query ${querySlot}: some width reaches recall@10 ≥ 0.95`, async () => {
      const before = tf.memory().numTensors;
      const exact = await exactKnn(divergence, queries, items, { k: 10, querySlot });
      const index = await BregmanAnnIndex.build(divergence, items, { querySlot, threads: 1 });
      expect(index.size).toBe(n);
      const sweep = await annRecall(index, queries, exact, { k: 10, widths: [16, 64, 256], threads: 1 });
      console.log(
        `ANN (${querySlot}) recall@10 / QPS by width: ${sweep.map((p) => `${p.width}: ${p.recallAtK.toFixed(3)} / ${p.queriesPerSecond.toFixed(0)}`).join(', ')} (informational)`,
      );
      expect(Math.max(...sweep.map((p) => p.recallAtK))).toBeGreaterThanOrEqual(0.95);
      // Wider beams never find fewer true neighbours here by much: recall grows with width.
      expect(sweep[2].recallAtK).toBeGreaterThanOrEqual(sweep[0].recallAtK);
      // Reported distances are the exact D of the returned items, sorted.
      const found = await index.search(queries, 10, { width: 256 });
      for (let i = 0; i < nq; i += 37) {
        for (let r = 1; r < 10; r++)
          expect(found.distances[i * 10 + r]).toBeGreaterThanOrEqual(found.distances[i * 10 + r - 1]);
        if (found.indices[i * 10] === exact.indices[i * 10]) {
          expect(found.distances[i * 10]).toBeCloseTo(exact.distances[i * 10], 3);
        }
      }
      // …and they are D itself: against the divergence's own `paired`, in the index's slot.
      const sampled = Array.from({ length: 11 }, (_, s) => s * 37);
      const pairs = sampled.flatMap((i) => Array.from({ length: 10 }, (_, r) => [i, found.indices[i * 10 + r]!]));
      const direct = tf.tidy(() => {
        const q = tf.gather(
          queries,
          pairs.map(([i]) => i!),
        );
        const y = tf.gather(
          items,
          pairs.map(([, j]) => j!),
        );
        return querySlot === 'left' ? divergence.paired(q, y) : divergence.paired(y, q);
      });
      const expected = await direct.data();
      direct.dispose();
      for (const [t, [i]] of pairs.entries()) {
        const reported = found.distances[i! * 10 + (t % 10)]!;
        expect(Math.abs(reported - expected[t]!)).toBeLessThan(1e-3 * Math.max(1, Math.abs(expected[t]!)));
      }
      expect(tf.memory().numTensors).toBe(before);
    });
  }

  it('save and load give the same answers', async () => {
    const subset = tf.slice(items, [0, 0], [2000, d]);
    const index = await BregmanAnnIndex.build(divergence, subset, { querySlot: 'right', connectivity: 8 });
    subset.dispose();
    const path = join(dir, 'items.usearch');
    index.save(path);
    const loaded = BregmanAnnIndex.load(path);
    const again = BregmanAnnIndex.load(path, { divergence });
    const a = await index.search(queries, 5, { width: 32 });
    const b = await loaded.search(queries, 5, { width: 32 });
    const c = await again.search(queries, 5, { width: 32 });
    expect(Array.from(b.indices)).toEqual(Array.from(a.indices));
    expect(Array.from(c.indices)).toEqual(Array.from(a.indices));
    expect(neighbourRecall(b, a, 5)).toBe(1);
    expect(loaded.querySlot).toBe('right');
    (loaded.divergence as BregmanDivergence).dispose();
    expect(() => BregmanAnnIndex.load(join(dir, 'missing.usearch'))).toThrow(/expected the file/);
  });

  it('rejects non-Bregman divergences and bad k', async () => {
    const small = tf.tensor2d([[0, 1]]);
    await expect(BregmanAnnIndex.build({ dim: 2 } as unknown as BregmanDivergence, small)).rejects.toThrow(SearchError);
    small.dispose();
    const subset = tf.slice(items, [0, 0], [20, d]);
    const index = await BregmanAnnIndex.build(divergence, subset, {});
    subset.dispose();
    await expect(index.search(queries, 21)).rejects.toThrow(/k/);
    await expect(index.search(tf.zeros([1, 3]) as tf.Tensor2D, 1)).rejects.toThrow(/width 16/);
  });
});

describe('BregmanAnnIndex with exact-zero ties', () => {
  it('re-scores with the zero tolerance of exactKnn: exact zeros first, in index order (max-affine φ, both slots)', async () => {
    const n = 200;
    const k = 30;
    const { points, divergence, piece } = maxAffineTies({ n, dim: 6, pieces: 3, seed: 'ann-ties' });
    for (const querySlot of ['left', 'right'] as const) {
      // The deprecated alias still works, and the index reports its slot under the new name.
      const index = await BregmanAnnIndex.build(divergence, points, { queryIn: querySlot, threads: 1 });
      expect(index.querySlot).toBe(querySlot);
      expect(index.queryIn).toBe(querySlot);
      // Which k of a piece's many equidistant items the graph returns is its own business (approximate search);
      // their order and values are the re-scoring's: every item of the query's piece at exactly 0, first, by index.
      const found = await index.search(points, k, { width: 64, threads: 1 });
      const violations: string[] = [];
      for (let q = 0; q < n; q++) {
        const row = Array.from({ length: k }, (_, r) => [found.indices[q * k + r]!, found.distances[q * k + r]!]);
        const zeros = row.filter(([j]) => piece[j!] === piece[q]);
        const ordered = zeros.every(([j, v], r) => v === 0 && row[r]![0] === j && (r === 0 || zeros[r - 1]![0]! < j!));
        if (!ordered || row.slice(zeros.length).some(([, v]) => !(v! > 0))) violations.push(`query ${q}: ${row}`);
      }
      expect(violations.slice(0, 2)).toEqual([]);
    }
    tf.dispose(points);
    divergence.dispose();
  });
});

describe('neighbourRecall', () => {
  it('counts overlaps of the top-k sets', () => {
    const exact = { numQueries: 2, k: 2, indices: new Int32Array([0, 1, 2, 3]), distances: new Float32Array(4) };
    const approx = { numQueries: 2, k: 2, indices: new Int32Array([1, 5, 3, 2]), distances: new Float32Array(4) };
    expect(neighbourRecall(approx, exact, 2)).toBeCloseTo(3 / 4, 12);
    expect(neighbourRecall(approx, exact, 1)).toBeCloseTo(0, 12);
  });
});
