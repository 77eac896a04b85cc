// Suite "bregman", both cores (each two-worker figure on wasm alone and on wasm + native, the workers starting with
// or without the native kernels): W1 as data-parallel training on 1 vs 2 workers (runtime's DataParallelTrainer, one
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
import { prepared, timeInterleaved, timeInterleavedGroups } from './harness.mjs';
import { nativeFields } from './native-columns.mjs';
import { PEER_THREADS, peerEntries, peerFields } from './peer-columns.mjs';

const replicaModule = fileURLToPath(new URL('./w1-replica.mjs', import.meta.url));

/** Steps per `trainer.steps` call: the workers run them back to back, as a training loop would. */
const STEPS_PER_CALL = 5;

const mean = (values) => values.reduce((a, b) => a + b, 0) / values.length;

/** Rounds before timing: the trainers' first steps (and the peer's setup) are not measured. */
const WARMUP_ROUNDS = 2;

/** A worker pool whose workers run the native kernels when `enabled` (checked: a bench must not time the wrong side). */
async function poolOn(size, native, enabled) {
  const pool = await WorkerPool.create({ size, backend: native.workerBackend(enabled) });
  const wanted = native.workerBackend(enabled).native;
  for (const info of pool.backendInfo) {
    if ((info.native?.enabled ?? false) !== wanted) {
      await pool.close();
      throw new Error(
        `bench:perf: expected a worker with native BLAS ${wanted ? 'on' : 'off'}, got ${info.native?.reason ?? 'on'}`,
      );
    }
  }
  return pool;
}

/**
 * W1 as data-parallel training on 1 worker (the default configuration: wasm + native when available) and on 2
 * workers on wasm alone and on wasm + native, timed alternately (then the peer's copy of the 2-worker step when
 * there is one) so that a change in the host's load hits all alike. Returns each one's median milliseconds per step
 * and its mean step profile (compute, barrier wait, averaging, optimizer) over the workers, and the peer's
 * timeInterleaved result (ms per step of 2 × 256 samples), if it ran.
 */
async function dataParallelW1(runs, peer, native) {
  const sides = [
    { workers: 1, native: native.available },
    { workers: 2, native: false },
    ...(native.available ? [{ workers: 2, native: true }] : []),
  ];
  const setups = [];
  try {
    for (const side of sides) {
      const pool = await poolOn(side.workers, native, side.native);
      setups.push({ ...side, pool, trainer: null, calls: 0, timings: [] });
      const setup = setups[setups.length - 1];
      setup.trainer = await DataParallelTrainer.create(pool, { replicaModule, init: { seed: 1 } });
      setup.batches = Array.from({ length: STEPS_PER_CALL }, () => Array.from({ length: side.workers }, () => ({})));
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
      medianMs: results[i].medianMs / STEPS_PER_CALL,
      profile: {
        computeMs: mean(timings.map((t) => t.computeMs)),
        waitMs: mean(timings.map((t) => t.waitMs)),
        averageMs: mean(timings.map((t) => t.averageMs)),
        applyMs: mean(timings.map((t) => t.applyMs)),
      },
    }));
    return { one: ours[0], two: ours.slice(1), peer: results[setups.length] };
  } finally {
    for (const setup of setups) {
      await setup.trainer?.dispose();
      await setup.pool.close();
    }
  }
}

const profileText = ({ computeMs, waitMs, averageMs, applyMs }) =>
  `compute ${computeMs.toFixed(1)}, wait ${waitMs.toFixed(1)}, average ${averageMs.toFixed(1)}, update ${applyMs.toFixed(1)} ms`;

/**
 * The two-core rows (ids W1-2-workers and W3-2-workers), each on wasm alone and on wasm + native (`native`,
 * native-columns.mjs' nativeSwitch: the workers start with the native kernels or without), and with the peer.
 */
export async function runParallelWorkloads({ runs = 20, retrieval = true, peer, native }) {
  const rows = [];
  const { one, two, peer: peerW1 } = await dataParallelW1(runs, peer, native);
  const fields = nativeFields(native, two);
  const oneMs = one.medianMs;
  const twoMs = fields.ms;
  const twoDefault = two[two.length - 1];
  // Throughput in samples per second: one worker trains 256 per step, two train 2 × 256 (the effective batch).
  const speedup = (2 * 256) / twoMs / (256 / oneMs);
  rows.push({
    id: 'W1-2-workers',
    samplesPerStep: 2 * 256,
    workload: 'W1 data-parallel, 2 workers × batch 256 (effective 512)',
    ...fields,
    reference: '1 worker × batch 256',
    referenceMs: oneMs,
    ratio: speedup,
    target: '≥ 1.6× throughput',
    met: speedup >= 1.6,
    detail: `${((2 * 256) / (twoMs / 1000)).toFixed(0)} vs ${(256 / (oneMs / 1000)).toFixed(0)} samples/s; mean step on 2 workers: ${profileText(twoDefault.profile)}; on 1: ${profileText(one.profile)}`,
    profile: { oneWorker: one.profile, twoWorkers: twoDefault.profile },
    // PyTorch's step trains 2 × 256 samples too: the ratio is per sample.
    ...peerFields(peer, twoMs, peerW1, PEER_THREADS),
  });

  if (retrieval) {
    const rng = new SeededRandom(3);
    const divergence = new BregmanDivergence(
      new IcnnConvexFunction({ dim: 128, hiddenSizes: [256, 256], activation: 'softplus', mu: 0.1, seed: 1 }),
    );
    const queries = tf.tensor(rng.normalArray(10_000 * 128), [10_000, 128]);
    const references = tf.tensor(rng.normalArray(60_000 * 128), [60_000, 128]);
    const pools = [];
    try {
      pools.push(await poolOn(2, native, false));
      if (native.available) pools.push(await poolOn(2, native, true));
      const onPool = (pool) => () =>
        exactKnn(divergence, queries, references, { k: 10, queryIn: 'left', pool: knnPool(pool) });
      // One thread and the pools alternately, so that the host's load at the time hits all alike. The one thread is
      // on wasm alone: with native on, this thread's OpenBLAS would use both cores.
      const [[single], poolTimes, [peerW3]] = await timeInterleavedGroups(
        [
          [
            prepared(
              () => native.use(false),
              () => exactKnn(divergence, queries, references, { k: 10, queryIn: 'left' }),
            ),
          ],
          // The calling thread too on the side its pool is on (it prepares the queries' blocks).
          pools.map((pool, i) => prepared(() => native.use(i === 1), onPool(pool))),
          peerEntries(peer, 'W3', { threads: PEER_THREADS }),
        ],
        { runs: 3, warmup: 1 },
      );
      await native.restore();
      const w3Fields = nativeFields(native, poolTimes);
      // Against 2 workers on wasm alone: one thread against two, as the target means it.
      const speedup3 = single.medianMs / w3Fields.wasmMs;
      rows.push({
        id: 'W3-2-workers',
        workload: 'W3 exact top-10 on 2 workers',
        ...w3Fields,
        reference: 'W3 in one thread on wasm (timed alternately; ratio against 2 workers on wasm)',
        referenceMs: single.medianMs,
        ratio: speedup3,
        target: '≥ 1.7× faster',
        met: speedup3 >= 1.7,
        detail: `${((10_000 * 60_000) / (w3Fields.ms / 1000) / 1e6).toFixed(0)} M divergences/s`,
        ...peerFields(peer, w3Fields.ms, peerW3, PEER_THREADS),
      });
    } finally {
      for (const pool of pools) await pool.close();
      tf.dispose([queries, references]);
      divergence.dispose();
    }
  }
  return rows;
}
