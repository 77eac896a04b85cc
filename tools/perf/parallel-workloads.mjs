// Suite "bregman", both cores: W1 as data-parallel training on 1 vs 2 workers (runtime's DataParallelTrainer, one
// full batch of 256 per worker, gradients averaged through shared memory), and W3 split across 2 workers (eval's
// exactKnn with a WorkerPool) against the in-process W3 of the same run.
import { fileURLToPath } from 'node:url';
import { BregmanDivergence } from '@empirical-bregman/bregman-core';
import { SeededRandom } from '@empirical-bregman/common';
import { IcnnConvexFunction } from '@empirical-bregman/convex-net';
import { exactKnn } from '@empirical-bregman/eval';
import { DataParallelTrainer, WorkerPool } from '@empirical-bregman/runtime';
import * as tf from '@tensorflow/tfjs-core';
import { timeMedian } from './harness.mjs';

const replicaModule = fileURLToPath(new URL('./w1-replica.mjs', import.meta.url));

/** Median milliseconds of one data-parallel W1 step on a pool of `workers` (each worker: its own batch of 256). */
async function dataParallelStepMs(workers, runs) {
  const pool = await WorkerPool.create({ size: workers });
  try {
    const trainer = await DataParallelTrainer.create(pool, { replicaModule, init: { seed: 1 } });
    const batches = Array.from({ length: workers }, () => ({}));
    const timing = await timeMedian(() => trainer.step(batches), { runs });
    await trainer.dispose();
    return timing.medianMs;
  } finally {
    await pool.close();
  }
}

export async function runParallelWorkloads({ runs = 20, w3InProcessMs = null } = {}) {
  const rows = [];
  const oneMs = await dataParallelStepMs(1, runs);
  const twoMs = await dataParallelStepMs(2, runs);
  // Throughput in samples per second: one worker trains 256 per step, two train 2 × 256 (the effective batch).
  const speedup = (2 * 256) / twoMs / (256 / oneMs);
  rows.push({
    workload: 'W1 data-parallel, 2 workers × batch 256 (effective 512)',
    ms: twoMs,
    reference: '1 worker × batch 256',
    referenceMs: oneMs,
    ratio: speedup,
    target: '≥ 1.6× throughput',
    met: speedup >= 1.6,
    detail: `${((2 * 256) / (twoMs / 1000)).toFixed(0)} vs ${(256 / (oneMs / 1000)).toFixed(0)} samples/s`,
  });

  if (w3InProcessMs !== null) {
    const rng = new SeededRandom(3);
    const divergence = new BregmanDivergence(
      new IcnnConvexFunction({ dim: 128, hiddenSizes: [256, 256], activation: 'softplus', mu: 0.1, seed: 1 }),
    );
    const queries = tf.tensor(rng.normalArray(10_000 * 128), [10_000, 128]);
    const references = tf.tensor(rng.normalArray(60_000 * 128), [60_000, 128]);
    const pool = await WorkerPool.create({ size: 2 });
    try {
      const w3 = await timeMedian(() => exactKnn(divergence, queries, references, { k: 10, queryIn: 'left', pool }), {
        runs: 3,
        warmup: 1,
      });
      const speedup3 = w3InProcessMs / w3.medianMs;
      rows.push({
        workload: 'W3 exact top-10 on 2 workers',
        ms: w3.medianMs,
        reference: 'W3 in one thread',
        referenceMs: w3InProcessMs,
        ratio: speedup3,
        target: '≥ 1.7× faster',
        met: speedup3 >= 1.7,
        detail: `${((10_000 * 60_000) / (w3.medianMs / 1000) / 1e6).toFixed(0)} M divergences/s`,
      });
    } finally {
      await pool.close();
      tf.dispose([queries, references]);
      divergence.dispose();
    }
  }
  return rows;
}
