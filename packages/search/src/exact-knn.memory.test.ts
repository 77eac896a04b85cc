import * as tf from '@tensorflow/tfjs-core';
import { SquaredEuclideanDivergence } from '@empirical-bregman/bregman-core';
import { SeededRandom } from '@empirical-bregman/common';
import { describe, expect, it } from 'vitest';
import { exactKnn } from './exact-knn';

const MB = 1024 * 1024;

describe('exactKnn memory', () => {
  it('10,000 queries × 60,000 references × 128 dims, top-10, peak RSS under 1 GB', async () => {
    const rng = new SeededRandom('memory');
    const nq = 10_000;
    const nr = 60_000;
    const d = 128;
    const queries = tf.tensor2d(rng.normalArray(nq * d), [nq, d]);
    const references = tf.tensor2d(rng.normalArray(nr * d), [nr, d]);
    const before = tf.memory().numTensors;
    let peakRss = process.memoryUsage().rss;
    let peakTensorBytes = tf.memory().numBytes;
    const started = performance.now();
    const nn = await exactKnn(new SquaredEuclideanDivergence(), queries, references, {
      k: 10,
      onBlock: () => {
        peakRss = Math.max(peakRss, process.memoryUsage().rss);
        peakTensorBytes = Math.max(peakTensorBytes, tf.memory().numBytes);
      },
    });
    const seconds = (performance.now() - started) / 1000;
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    console.log(
      `exactKnn 10k × 60k × 128 top-10: peak RSS ${(peakRss / MB).toFixed(0)} MB, peak tensor bytes ${(peakTensorBytes / MB).toFixed(0)} MB, ${seconds.toFixed(1)} s (informational)`,
    );
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([queries, references]);
    expect(nn.indices.length).toBe(nq * 10);
    // A full 10k × 60k float32 matrix alone would be 2,289 MB.
    expect(peakRss).toBeLessThan(1024 * MB);
    expect(peakTensorBytes).toBeLessThan(512 * MB);
    // Every query got 10 distinct neighbours, sorted.
    for (let i = 0; i < nq; i += 997) {
      const row = nn.distances.subarray(i * 10, i * 10 + 10);
      for (let t = 1; t < 10; t++) expect(row[t]).toBeGreaterThanOrEqual(row[t - 1]);
      expect(new Set(nn.indices.subarray(i * 10, i * 10 + 10)).size).toBe(10);
    }
  });
});
