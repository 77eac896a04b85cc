import * as tf from '@tensorflow/tfjs-core';
import { BregmanDivergence, SquaredEuclideanDivergence } from '@empirical-bregman/bregman-core';
import { SeededRandom } from '@empirical-bregman/common';
import { IcnnConvexFunction } from '@empirical-bregman/convex-net';
import { describe, expect, it } from 'vitest';
import { exactKnn, prepareReferences } from './exact-knn';
import type { KnnSearchPool, KnnSearchRequest } from './knn-search-pool';
import { SearchError } from './search-error';
import { ShiftedSquaredDistance, integerMatrix, naiveKnn } from './testing/test-divergences';

const squared = (x: Float32Array, y: Float32Array) => {
  let s = 0;
  for (let t = 0; t < x.length; t++) s += (x[t] - y[t]) ** 2;
  return s;
};

describe('exactKnn equals a naive full-matrix kNN', () => {
  const rng = new SeededRandom('exact-knn');
  const d = 5;
  const nq = 37;
  const nr = 83;
  const q = integerMatrix(rng, nq, d);
  const r = integerMatrix(rng, nr, d);

  for (const querySlot of ['left', 'right'] as const) {
    for (const [qb, rb] of [
      [1, 1],
      [7, 10],
      [16, 83],
      [64, 4096],
    ]) {
      it(`asymmetric D, query in the ${querySlot} slot, blocks ${qb} × ${rb} (integer data: exact ties by index)`, async () => {
        const before = tf.memory().numTensors;
        const Q = tf.tensor2d(q, [nq, d]);
        const R = tf.tensor2d(r, [nr, d]);
        const nn = await exactKnn(new ShiftedSquaredDistance(), Q, R, {
          k: 9,
          querySlot,
          queryBlockSize: qb,
          referenceBlockSize: rb,
        });
        tf.dispose([Q, R]);
        expect(tf.memory().numTensors).toBe(before);
        const ref = naiveKnn(q, r, d, 9, ShiftedSquaredDistance.value, querySlot);
        expect(Array.from(nn.indices)).toEqual(Array.from(ref.indices));
        expect(Array.from(nn.distances)).toEqual(Array.from(ref.distances));
      });
    }
  }

  // Large k: the candidates of a compaction outgrow the insertion sort (quicksort path), with many exact ties.
  for (const k of [40, 83]) {
    it(`k = ${k} of ${nr} references, right slot, blocks 7 × 10: same order and ties as the naive kNN`, async () => {
      const Q = tf.tensor2d(q, [nq, d]);
      const R = tf.tensor2d(r, [nr, d]);
      const nn = await exactKnn(new ShiftedSquaredDistance(), Q, R, {
        k,
        querySlot: 'right',
        queryBlockSize: 7,
        referenceBlockSize: 10,
      });
      tf.dispose([Q, R]);
      const ref = naiveKnn(q, r, d, k, ShiftedSquaredDistance.value, 'right');
      expect(Array.from(nn.indices)).toEqual(Array.from(ref.indices));
      expect(Array.from(nn.distances)).toEqual(Array.from(ref.distances));
    });
  }

  it('the two slots give different neighbours for an asymmetric D', async () => {
    const Q = tf.tensor2d(q, [nq, d]);
    const R = tf.tensor2d(r, [nr, d]);
    const left = await exactKnn(new ShiftedSquaredDistance(), Q, R, { k: 5, querySlot: 'left' });
    const right = await exactKnn(new ShiftedSquaredDistance(), Q, R, { k: 5, querySlot: 'right' });
    tf.dispose([Q, R]);
    expect(Array.from(left.indices)).not.toEqual(Array.from(right.indices));
  });

  it('excludes the self-match by index when the references are the queries', async () => {
    const X = tf.tensor2d(r, [nr, d]);
    const nn = await exactKnn(new SquaredEuclideanDivergence(), X, X, {
      k: 6,
      excludeSelf: true,
      queryBlockSize: 10,
      referenceBlockSize: 9,
    });
    X.dispose();
    const ref = naiveKnn(r, r, d, 6, squared, 'left', true);
    expect(Array.from(nn.indices)).toEqual(Array.from(ref.indices));
    for (let i = 0; i < nr; i++) expect(Array.from(nn.indices.subarray(i * 6, i * 6 + 6))).not.toContain(i);
  });

  it('orders exact ties by reference index', async () => {
    // Query 0 is equidistant (D = 1) from references 3, 1, 2 and at distance 0 from reference 4.
    const Q = tf.tensor2d([[0, 0]]);
    const R = tf.tensor2d([
      [5, 5],
      [0, 1],
      [1, 0],
      [-1, 0],
      [0, 0],
    ]);
    const nn = await exactKnn(new SquaredEuclideanDivergence(), Q, R, { k: 4, referenceBlockSize: 2 });
    tf.dispose([Q, R]);
    expect(Array.from(nn.indices)).toEqual([4, 1, 2, 3]);
    expect(Array.from(nn.distances)).toEqual([0, 1, 1, 1]);
  });
});

describe('exactKnn errors', () => {
  const Q = () => tf.tensor2d([[0, 0]]);
  const R = () =>
    tf.tensor2d([
      [1, 0],
      [0, 1],
    ]);
  const div = new SquaredEuclideanDivergence();
  it('rejects k larger than the reference set, mismatched widths, empty inputs', async () => {
    const before = tf.memory().numTensors;
    const q = Q();
    const r = R();
    await expect(exactKnn(div, q, r, { k: 3 })).rejects.toThrow(/k/);
    await expect(exactKnn(div, r, r, { k: 2, excludeSelf: true })).rejects.toThrow(SearchError);
    const wide = tf.zeros([2, 3]) as tf.Tensor2D;
    await expect(exactKnn(div, q, wide, { k: 1 })).rejects.toThrow(/one width/);
    const empty = tf.zeros([0, 2]) as tf.Tensor2D;
    await expect(exactKnn(div, empty, r, { k: 1 })).rejects.toThrow(/non-empty/);
    await expect(exactKnn(div, q, r, { k: 1, querySlot: 'middle' as 'left' })).rejects.toThrow(/querySlot/);
    tf.dispose([q, r, wide, empty]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects NaN divergences', async () => {
    const q = tf.tensor2d([[Number.NaN, 0]]);
    const r = R();
    await expect(exactKnn(div, q, r, { k: 1 })).rejects.toThrow(/NaN/);
    tf.dispose([q, r]);
  });
});

describe('exactKnn on a Bregman divergence (one-matMul fast path)', () => {
  it('finds the neighbours and divergences of the full pairwise matrix, both slots', async () => {
    const divergence = new BregmanDivergence(new IcnnConvexFunction({ dim: 6, hiddenSizes: [16, 16], seed: 9 }));
    const rng = new SeededRandom(21);
    const queries = tf.tensor2d(rng.normalArray(40 * 6), [40, 6]);
    const references = tf.tensor2d(rng.normalArray(300 * 6), [300, 6]);
    for (const querySlot of ['left', 'right'] as const) {
      const full = tf.tidy(() =>
        querySlot === 'left'
          ? divergence.pairwise(queries, references)
          : tf.transpose(divergence.pairwise(references, queries)),
      );
      const matrix = (await full.array()) as number[][];
      full.dispose();
      const nn = await exactKnn(divergence, queries, references, {
        k: 5,
        querySlot,
        queryBlockSize: 16,
        referenceBlockSize: 64,
      });
      for (let q = 0; q < 40; q++) {
        const sorted = matrix[q]!.map((v, j) => [v, j] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
        for (let r = 0; r < 5; r++) {
          const got = nn.distances[q * 5 + r]!;
          // The same divergence values (float32 round-off of two exact rewritings) …
          expect(Math.abs(got - sorted[r]![0])).toBeLessThan(1e-4 * (1 + Math.abs(sorted[r]![0])));
          // … and the same neighbour, unless the two candidates are tied within that round-off.
          const index = nn.indices[q * 5 + r]!;
          expect(Math.abs(matrix[q]![index]! - sorted[r]![0])).toBeLessThan(1e-4 * (1 + Math.abs(sorted[r]![0])));
        }
      }
    }
    tf.dispose([queries, references]);
    divergence.dispose();
  });
});

describe('exactKnn with prepared references (an index that reduces its items once)', () => {
  it('gives exactly the results of an unprepared search, in both slots, and frees nothing of the caller', async () => {
    const rng = new SeededRandom(21);
    const divergence = new BregmanDivergence(new IcnnConvexFunction({ dim: 5, hiddenSizes: [12], seed: 4 }));
    const queries = tf.tensor2d(rng.normalArray(30 * 5), [30, 5]);
    const references = tf.tensor2d(rng.normalArray(200 * 5), [200, 5]);
    const before = tf.memory().numTensors;
    for (const querySlot of ['left', 'right'] as const) {
      const prepared = (await prepareReferences(divergence, references, querySlot))!;
      const plain = await exactKnn(divergence, queries, references, { k: 7, querySlot, referenceBlockSize: 64 });
      const fast = await exactKnn(divergence, queries, references, { k: 7, querySlot, prepared });
      const again = await exactKnn(divergence, queries, references, { k: 7, querySlot, prepared });
      expect(fast.indices).toEqual(plain.indices);
      expect(fast.distances).toEqual(plain.distances);
      expect(again.indices).toEqual(plain.indices);
      const other = querySlot === 'left' ? 'right' : 'left';
      await expect(exactKnn(divergence, queries, references, { k: 7, querySlot: other, prepared })).rejects.toThrow(
        /expected prepared references of these 200 references, this divergence and slot/,
      );
      prepared.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
    expect(await prepareReferences(new SquaredEuclideanDivergence(), references)).toBeNull();
    tf.dispose([queries, references]);
    divergence.dispose();
  });
});

describe('exactKnn options', () => {
  it('queryIn is a deprecated alias of querySlot: same result, and the two must agree', async () => {
    const rng = new SeededRandom('alias');
    const Q = tf.tensor2d(integerMatrix(rng, 9, 3), [9, 3]);
    const R = tf.tensor2d(integerMatrix(rng, 30, 3), [30, 3]);
    const div = new ShiftedSquaredDistance();
    const slot = await exactKnn(div, Q, R, { k: 4, querySlot: 'right' });
    const alias = await exactKnn(div, Q, R, { k: 4, queryIn: 'right' });
    expect(Array.from(alias.indices)).toEqual(Array.from(slot.indices));
    await expect(exactKnn(div, Q, R, { k: 4, querySlot: 'right', queryIn: 'left' })).rejects.toThrow(
      /expected querySlot and its deprecated alias queryIn to agree/,
    );
    tf.dispose([Q, R]);
  });

  it('hands the validated search to an injected pool and returns its answer', async () => {
    const requests: KnnSearchRequest[] = [];
    const answer = { numQueries: 2, k: 1, indices: new Int32Array([1, 0]), distances: new Float32Array([0, 0]) };
    const pool: KnnSearchPool = {
      searchKnn: async (request) => {
        requests.push(request);
        return answer;
      },
    };
    const X = tf.tensor2d([[0], [1]]);
    const nn = await exactKnn(new SquaredEuclideanDivergence(), X, X, {
      k: 1,
      queryIn: 'right',
      excludeSelf: true,
      queryBlockSize: 7,
      pool,
    });
    expect(nn).toBe(answer);
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({
      k: 1,
      querySlot: 'right',
      excludeSelf: true,
      queryBlockSize: 7,
      referenceBlockSize: 4096,
    });
    expect(requests[0]!.queries).toBe(X);
    X.dispose();
  });
});
