import * as tf from '@tensorflow/tfjs-core';
import { SeededRandom } from '@empirical-bregman/common';
import { NegativeEntropy, SquaredNorm } from '@empirical-bregman/convex-net';
import { describe, expect, it } from 'vitest';
import { BregmanCoreError } from './bregman-core-error';
import { BregmanDivergence } from './bregman-divergence';
import { bregmanKMeans } from './bregman-k-means';
import { SquaredEuclideanDivergence } from './squared-euclidean-divergence';

/** Adjusted Rand index (Hubert & Arabie 1985), from the contingency table. */
function adjustedRandIndex(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const table = new Map<string, number>();
  const rows = new Map<number, number>();
  const cols = new Map<number, number>();
  for (let i = 0; i < a.length; i++) {
    const key = `${a[i]},${b[i]}`;
    table.set(key, (table.get(key) ?? 0) + 1);
    rows.set(a[i], (rows.get(a[i]) ?? 0) + 1);
    cols.set(b[i], (cols.get(b[i]) ?? 0) + 1);
  }
  const c2 = (n: number) => (n * (n - 1)) / 2;
  let index = 0;
  for (const v of table.values()) index += c2(v);
  let sa = 0;
  for (const v of rows.values()) sa += c2(v);
  let sb = 0;
  for (const v of cols.values()) sb += c2(v);
  const expected = (sa * sb) / c2(a.length);
  return (index - expected) / (0.5 * (sa + sb) - expected);
}

/** Three well-separated Gaussian blobs in d dims, 50 points each, shuffled. */
function blobs(rng: SeededRandom, d: number): { points: number[][]; labels: number[] } {
  const centres = [0, 1, 2].map((c) => Array.from({ length: d }, (_, j) => (j % 3 === c ? 10 : 0)));
  const points: number[][] = [];
  const labels: number[] = [];
  for (const i of rng.permutation(150)) {
    const c = i % 3;
    points.push(centres[c].map((v) => v + rng.normal()));
    labels.push(c);
  }
  return { points, labels };
}

describe('bregmanKMeans', () => {
  it('test helper: adjusted Rand index of a relabelled partition is 1, of a split one < 1', () => {
    expect(adjustedRandIndex([0, 0, 1, 1, 2, 2], [2, 2, 0, 0, 1, 1])).toBeCloseTo(1, 12);
    expect(adjustedRandIndex([0, 0, 1, 1, 2, 2], [0, 1, 1, 1, 2, 2])).toBeLessThan(0.7);
  });

  it('recovers three blobs under squared Euclidean (both the fixed divergence and SquaredNorm), deterministically', () => {
    const { points, labels } = blobs(new SeededRandom(1), 6);
    const x = tf.tensor2d(points);
    for (const div of [new SquaredEuclideanDivergence(), new BregmanDivergence(new SquaredNorm({ dim: 6 }))]) {
      const before = tf.memory().numTensors;
      const r1 = bregmanKMeans(x, div, { k: 3, seed: 7 });
      const r2 = bregmanKMeans(x, div, { k: 3, seed: 7 });
      expect(adjustedRandIndex(r1.assignments, labels)).toBe(1);
      expect(Array.from(r2.assignments)).toEqual(Array.from(r1.assignments));
      expect(r2.objective).toBe(r1.objective);
      expect(r1.converged).toBe(true);
      // The objective is Σ D(xᵢ, mean of its cluster), recomputed here in float64.
      const c = r1.centroids.arraySync();
      let objective = 0;
      points.forEach((p, i) => {
        const dist = p.reduce((s, v, j) => s + (v - c[r1.assignments[i]][j]) ** 2, 0);
        objective += div instanceof SquaredEuclideanDivergence ? dist : dist / 2;
      });
      expect(Math.abs(r1.objective - objective) / objective).toBeLessThan(1e-4);
      tf.dispose([r1.centroids, r2.centroids]);
      expect(tf.memory().numTensors).toBe(before);
    }
  });

  it('recovers three blobs on the simplex under KL (NegativeEntropy)', () => {
    const rng = new SeededRandom(3);
    const d = 5;
    const peaks = [0, 2, 4];
    const points: number[][] = [];
    const labels: number[] = [];
    for (const i of rng.permutation(150)) {
      const c = i % 3;
      const raw = Array.from({ length: d }, (_, j) => (j === peaks[c] ? 8 : 1) * rng.uniform(0.7, 1.3));
      const s = raw.reduce((a, b) => a + b, 0);
      points.push(raw.map((v) => v / s));
      labels.push(c);
    }
    const x = tf.tensor2d(points);
    const div = new BregmanDivergence(new NegativeEntropy({ dim: d }));
    const before = tf.memory().numTensors;
    const r = bregmanKMeans(x, div, { k: 3, seed: 'kl', restarts: 2 });
    expect(adjustedRandIndex(r.assignments, labels)).toBe(1);
    expect(r.restartObjectives).toHaveLength(2);
    expect(r.objective).toBe(Math.min(...r.restartObjectives));
    // Centroids are cluster means (right-sided centroids), which stay on the simplex.
    for (const row of r.centroids.arraySync()) expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    r.centroids.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('plain k-means (cached ‖x‖²) equals k-means through pairwise to the bit, in several batches', () => {
    const rng = new SeededRandom(11);
    const x = tf.tensor2d(Array.from({ length: 90 }, () => Array.from({ length: 7 }, () => rng.normal(0, 1))));
    const euclidean = new SquaredEuclideanDivergence();
    // The same divergence seen only through pairwise (another type): the generic path.
    const generic = {
      type: 'Wrapped',
      symmetric: true,
      dim: null,
      trainableVariables: [],
      pairwise: euclidean.pairwise.bind(euclidean),
    };
    const before = tf.memory().numTensors;
    const fast = bregmanKMeans(x, euclidean, { k: 12, seed: 4, batchSize: 32 });
    const slow = bregmanKMeans(x, generic as unknown as SquaredEuclideanDivergence, { k: 12, seed: 4, batchSize: 32 });
    expect(Array.from(fast.assignments)).toEqual(Array.from(slow.assignments));
    expect(fast.objective).toBe(slow.objective);
    expect(fast.restartObjectives).toEqual(slow.restartObjectives);
    expect(Array.from(fast.centroids.dataSync())).toEqual(Array.from(slow.centroids.dataSync()));
    tf.dispose([fast.centroids, slow.centroids]);
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });

  it('handles k = n and duplicate points, and rejects bad arguments', () => {
    const x = tf.tensor2d([
      [0, 0],
      [0, 0],
      [1, 1],
    ]);
    const div = new SquaredEuclideanDivergence();
    const r = bregmanKMeans(x, div, { k: 3, seed: 1 });
    expect(r.objective).toBe(0);
    r.centroids.dispose();
    expect(() => bregmanKMeans(x, div, { k: 4 })).toThrowError(BregmanCoreError);
    expect(() => bregmanKMeans(x, div, { k: 0 })).toThrowError(/k in \[1, n = 3\]/);
    expect(() => bregmanKMeans(x, new BregmanDivergence(new SquaredNorm({ dim: 3 })), { k: 2 })).toThrowError(
      /width 3/,
    );
  });
});
