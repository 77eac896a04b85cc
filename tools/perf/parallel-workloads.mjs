// Suite "bregman", both cores: W1 as data-parallel training on 1 vs 2 workers (runtime's DataParallelTrainer, one
// full batch of 256 per worker, gradients averaged through shared memory, 5 steps per message), and W3 split across
// 2 workers (eval's exactKnn with a WorkerPool) against W3 in one thread, timed alternately. With a peer (--peer
// pytorch) its copies run in the same rounds on 2 threads: W1 as two replicas' batches of 256 in one process (the
// mean of the two losses: the gradient our workers average), and W3.
import { fileURLToPath } from 'node:url';
import { BregmanDivergence } from '@empirical-bregman/bregman-core';
import { SeededRandom } from '@empirical-bregman/common';
import { IcnnConvexFunction } from '@empirical-bregman/convex-net';
import { exactKnn } from '@empirical-bregman/search';
import { knnPool } from '@empirical-bregman/search/node';
import { DataParallelTrainer, WorkerPool } from '@empirical-bregman/runtime/node';
import * as tf from '@tensorflow/tfjs-core';
import { timeInterleaved } from './harness.mjs';
import { PEER_THREADS, peerEntries, peerFields } from './peer-columns.mjs';

const replicaModule = fileURLToPath(new URL('./w1-replica.mjs', import.meta.url));

/** Steps per `trainer.steps` call: the workers run them back to back, as a training loop would. */
const STEPS_PER_CALL = 5;

const mean = (values) => values.reduce((a, b) => a + b, 0) / values.length;

/** Rounds before timing: the trainers' first steps (and the peer's setup) are not measured. */
const WARMUP_ROUNDS = 2;

/**
 * W1 as data-parallel training on 1 and on 2 workers, timed alternately (1, 2, 1, 2, …, then the peer's copy of the
 * 2-worker step when there is one) so that a change in the host's load hits all alike. Returns each one's median
 * milliseconds per step and its mean step profile (compute, barrier wait, averaging, optimizer) over the workers,
 * and the peer's timeInterleaved result (ms per step of 2 × 256 samples), if it ran.
 */
async function dataParallelW1(runs, peer) {
  const setups = [];
  try {
    for (const workers of [1, 2]) {
      const pool = await WorkerPool.create({ size: workers });
      setups.push({ workers, pool, trainer: null, calls: 0, timings: [] });
      const setup = setups[setups.length - 1];
      setup.trainer = await DataParallelTrainer.create(pool, { replicaModule, init: { seed: 1 } });
      setup.batches = Array.from({ length: STEPS_PER_CALL }, () => Array.from({ length: workers }, () => ({})));
    }
    const call = (setup) => async () => {
      const steps = await setup.trainer.steps(setup.batches);
      if (++setup.calls <= WARMUP_ROUNDS) return;
      for (const step of steps) setup.timings.push(...step.timings);
    };
    const results = await timeInterleaved(
      [
        ...setups.map(call),
        ...peerEntries(peer, 'W1-2replicas', { threads: PEER_THREADS, runsPerSample: STEPS_PER_CALL }),
      ],
      { runs, warmup: WARMUP_ROUNDS },
    );
    const ours = setups.map(({ workers, timings }, i) => ({
      workers,
      ms: results[i].medianMs / STEPS_PER_CALL,
      profile: {
        computeMs: mean(timings.map((t) => t.computeMs)),
        waitMs: mean(timings.map((t) => t.waitMs)),
        averageMs: mean(timings.map((t) => t.averageMs)),
        applyMs: mean(timings.map((t) => t.applyMs)),
      },
    }));
    return { ours, peer: results[setups.length] };
  } finally {
    for (const setup of setups) {
      await setup.trainer?.dispose();
      await setup.pool.close();
    }
  }
}

const profileText = ({ computeMs, waitMs, averageMs, applyMs }) =>
  `compute ${computeMs.toFixed(1)}, wait ${waitMs.toFixed(1)}, average ${averageMs.toFixed(1)}, update ${applyMs.toFixed(1)} ms`;

export async function runParallelWorkloads({ runs = 20, retrieval = true, peer } = {}) {
  const rows = [];
  const {
    ours: [one, two],
    peer: peerW1,
  } = await dataParallelW1(runs, peer);
  const oneMs = one.ms;
  const twoMs = two.ms;
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
    detail: `${((2 * 256) / (twoMs / 1000)).toFixed(0)} vs ${(256 / (oneMs / 1000)).toFixed(0)} samples/s; mean step on 2 workers: ${profileText(two.profile)}; on 1: ${profileText(one.profile)}`,
    profile: { oneWorker: one.profile, twoWorkers: two.profile },
    ...peerFields(peer, twoMs, peerW1, PEER_THREADS),
  });

  if (retrieval) {
    const rng = new SeededRandom(3);
    const divergence = new BregmanDivergence(
      new IcnnConvexFunction({ dim: 128, hiddenSizes: [256, 256], activation: 'softplus', mu: 0.1, seed: 1 }),
    );
    const queries = tf.tensor(rng.normalArray(10_000 * 128), [10_000, 128]);
    const references = tf.tensor(rng.normalArray(60_000 * 128), [60_000, 128]);
    const pool = await WorkerPool.create({ size: 2 });
    try {
      // One thread and the pool alternately, so that the host's load at the time hits both alike.
      const [single, w3, peerW3] = await timeInterleaved(
        [
          () => exactKnn(divergence, queries, references, { k: 10, queryIn: 'left' }),
          () => exactKnn(divergence, queries, references, { k: 10, queryIn: 'left', pool: knnPool(pool) }),
          ...peerEntries(peer, 'W3', { threads: PEER_THREADS }),
        ],
        { runs: 3, warmup: 1 },
      );
      const w3InProcessMs = single.medianMs;
      const speedup3 = w3InProcessMs / w3.medianMs;
      rows.push({
        workload: 'W3 exact top-10 on 2 workers',
        ms: w3.medianMs,
        reference: 'W3 in one thread (timed alternately)',
        referenceMs: w3InProcessMs,
        ratio: speedup3,
        target: '≥ 1.7× faster',
        met: speedup3 >= 1.7,
        detail: `${((10_000 * 60_000) / (w3.medianMs / 1000) / 1e6).toFixed(0)} M divergences/s`,
        ...peerFields(peer, w3.medianMs, peerW3, PEER_THREADS),
      });
    } finally {
      await pool.close();
      tf.dispose([queries, references]);
      divergence.dispose();
    }
  }
  return rows;
}
