import * as tf from '@tensorflow/tfjs-core';
import { SquaredEuclideanDivergence } from '@empirical-bregman/bregman-core';
import { type KnnSearchPool, type KnnSearchRequest, exactKnn } from '@empirical-bregman/search';
import { describe, expect, it } from 'vitest';
import { clusteringMetrics } from './clustering-metrics';
import { EvaluationError } from './evaluation-error';
import { evaluate } from './evaluate';
import { pairMetrics } from './pair-metrics';

// Six points on a line, labels 0 0 1 0 1 1; every class has 3 items, so R = 2 and k = 'max_bin_count' = 2.
const xs = [0, 1, 2, 4, 10, 12];
const labels = new Int32Array([0, 0, 1, 0, 1, 1]);

describe('evaluate on a hand-computed fixture (references = queries, self excluded, ties by index)', () => {
  it('retrieval, clustering and pair metrics', async () => {
    const before = tf.memory().numTensors;
    const x = tf.tensor2d(xs, [6, 1]);
    const result = await evaluate({
      divergence: new SquaredEuclideanDivergence(),
      queries: x,
      queryLabels: labels,
      returnNeighbours: true,
      seed: 4,
    });
    x.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(result.k).toBe(2);
    // Neighbours (D = squared gap): q1 ties q0 and q2 at 1 → index order; q2 ties q0 and q3 at 4 → q0.
    expect(Array.from(result.neighbours?.indices ?? [])).toEqual([1, 2, 0, 2, 1, 0, 2, 1, 5, 3, 4, 3]);
    // Relevance: q0 10, q1 10, q2 00, q3 01, q4 10, q5 10.
    const m = result.retrieval;
    expect(m.precisionAt1).toBeCloseTo(4 / 6, 12);
    expect(m.rPrecision).toBeCloseTo(2.5 / 6, 12);
    expect(m.mapAtR).toBeCloseTo((0.5 + 0.5 + 0 + 0.25 + 0.5 + 0.5) / 6, 12);
    expect(m.meanAveragePrecision).toBeCloseTo(4.5 / 6, 12);
    expect(m.meanReciprocalRank).toBeCloseTo(4.5 / 6, 12);
    expect(m.recallAtK).toEqual({ 1: expect.closeTo(4 / 6, 12), 2: expect.closeTo(5 / 6, 12) });
    // Votes of 2: q0 (0,1) → 0 ✓, q1 (0,1) → 0 ✓, q2 (0,0) ✗, q3 (1,0) → 1 ✗, q4 ✓, q5 ✓.
    expect(m.knnAccuracy).toBeCloseTo(4 / 6, 12);
    // 2-means on the line: {0, 1, 2, 4} and {10, 12}.
    const expected = clusteringMetrics(labels, new Int32Array([0, 0, 0, 0, 1, 1]));
    expect(result.clustering.kmeans).toEqual(expected);
    expect(result.clustering['bregman-kmeans']).toEqual(expected);
    // All 30 ordered pairs i ≠ j.
    const d: number[] = [];
    const same: number[] = [];
    for (let i = 0; i < 6; i++) {
      for (let j = 0; j < 6; j++) {
        if (i === j) continue;
        d.push((xs[i] - xs[j]) ** 2);
        same.push(labels[i] === labels[j] ? 1 : 0);
      }
    }
    const pairs = pairMetrics(d, Uint8Array.from(same));
    expect(result.pairs?.sampled).toBe(false);
    expect(result.pairs?.rocAuc).toBeCloseTo(pairs.rocAuc, 12);
    expect(result.pairs?.averagePrecision).toBeCloseTo(pairs.averagePrecision, 12);
    expect(result.pairs?.numPositive).toBe(12);
  });

  it('separate references, query in the right slot, sampled pairs', async () => {
    const q = tf.tensor2d([[0], [11]]);
    const r = tf.tensor2d(xs, [6, 1]);
    const before = tf.memory().numTensors;
    const result = await evaluate({
      divergence: new SquaredEuclideanDivergence(),
      queries: q,
      queryLabels: new Int32Array([0, 1]),
      references: r,
      referenceLabels: labels,
      querySlot: 'right',
      k: 3,
      maxPairs: 5,
      clustering: [],
    });
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([q, r]);
    // q0 (x=0): 0, 1, 2 → labels 0 0 1; q1 (x=11): 10 (d 1) and 12 (d 1) tie → index 4, 5; then 4 → labels 1 1 0.
    expect(result.retrieval.precisionAt1).toBe(1);
    expect(result.retrieval.rPrecision).toBeCloseTo((2 / 3 + 2 / 3) / 2, 12);
    expect(result.pairs?.sampled).toBe(true);
    expect((result.pairs?.numPositive ?? 0) + (result.pairs?.numNegative ?? 0)).toBe(5);
    expect(result.clustering).toEqual({});
  });

  it('gives clear errors for mismatched lengths, k too large, empty inputs', async () => {
    const x = tf.tensor2d(xs, [6, 1]);
    const div = new SquaredEuclideanDivergence();
    await expect(evaluate({ divergence: div, queries: x, queryLabels: new Int32Array(5) })).rejects.toThrow(
      /queryLabels of length 6/,
    );
    await expect(evaluate({ divergence: div, queries: x, queryLabels: labels, k: 6 })).rejects.toThrow(/k ≤ 5/);
    await expect(evaluate({ divergence: div, queries: x, queryLabels: new Int32Array(0) })).rejects.toThrow(
      EvaluationError,
    );
    const empty = tf.zeros([0, 1]) as tf.Tensor2D;
    await expect(evaluate({ divergence: div, queries: empty, queryLabels: new Int32Array(0) })).rejects.toThrow(
      /non-empty/,
    );
    await expect(evaluate({ divergence: div, queries: x, queryLabels: labels, references: x })).rejects.toThrow(
      /referenceLabels/,
    );
    tf.dispose([x, empty]);
  });

  it('passes its pool through to the exact k-NN (the capability object, no worker code here)', async () => {
    const x = tf.tensor2d(xs, [6, 1]);
    const div = new SquaredEuclideanDivergence();
    const requests: KnnSearchRequest[] = [];
    // A pool that searches in this thread: what evaluate gets back is what the pool computed.
    const pool: KnnSearchPool = {
      async searchKnn(request) {
        requests.push(request);
        const { divergence, queries, references, ...options } = request;
        return exactKnn(divergence, queries, references, options);
      },
    };
    const pooled = await evaluate({ divergence: div, queries: x, queryLabels: labels, queryIn: 'right', pool });
    const local = await evaluate({ divergence: div, queries: x, queryLabels: labels, querySlot: 'right' });
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({ k: 2, querySlot: 'right', excludeSelf: true });
    expect(pooled.retrieval).toEqual(local.retrieval);
    await expect(
      evaluate({ divergence: div, queries: x, queryLabels: labels, querySlot: 'left', queryIn: 'right' }),
    ).rejects.toThrow(/evaluate: expected querySlot and its deprecated alias queryIn to agree/);
    x.dispose();
  });
});
