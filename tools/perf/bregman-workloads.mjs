// Suite "bregman": the performance issue's workloads W1 (training step), W2 (pairwise divergence) and W3 (exact
// retrieval), each next to the reference it is judged against, measured in the same run, each on wasm alone and on
// wasm + native BLAS in alternating rounds. With a peer (--peer pytorch) the mirrored workloads also run in it, in
// the same rounds, on PEER_THREADS threads.
import { BregmanDivergence, SquaredEuclideanDivergence } from '@empirical-bregman/bregman-core';
import { SeededRandom } from '@empirical-bregman/common';
import { IcnnConvexFunction } from '@empirical-bregman/convex-net';
import { exactKnn } from '@empirical-bregman/search';
import * as tf from '@tensorflow/tfjs-core';
import { normalTensor, timeInterleavedGroups, timeMedian } from './harness.mjs';
import { defaultConfigurationFields, nativeEntries, nativeFields } from './native-columns.mjs';
import { openblasSquareMatMul } from './openblas-reference.mjs';
import { PEER_THREADS, peerEntries, peerFields } from './peer-columns.mjs';

const rng = new SeededRandom(3);
/** A variable holding `t`, without keeping `t` itself alive. */
const variableOf = (t) => {
  const v = tf.variable(t);
  t.dispose();
  return v;
};
const normal = (shape, std = 1) => normalTensor(rng, shape, std);

/** The W1 ICNN: φ on the 128-d embedding, 2 hidden layers of width 256, softplus, μ = 0.1. */
export function w1Divergence() {
  return new BregmanDivergence(
    new IcnnConvexFunction({ dim: 128, hiddenSizes: [256, 256], activation: 'softplus', mu: 0.1, seed: 1 }),
  );
}

/**
 * W1: batch 256 of 784-d inputs, MLP 784→512→128 (ReLU after the hidden layer), one pairwise D over the batch,
 * contrastive loss over all pairs (positives D, negatives relu(1 − D)), mean; Adam 1e-3 on trunk and φ together.
 */
export function trainingStep(divergence) {
  const x = normal([256, 784]);
  const labels = Int32Array.from({ length: 256 }, (_, i) => i % 16);
  const same = tf.tidy(() => {
    const l = tf.tensor1d(labels, 'int32');
    return tf.cast(tf.equal(tf.reshape(l, [256, 1]), tf.reshape(l, [1, 256])), 'float32');
  });
  const w1 = variableOf(normal([784, 512], 0.05));
  const b1 = variableOf(tf.zeros([512]));
  const w2 = variableOf(normal([512, 128], 0.05));
  const vars = [w1, b1, w2, ...divergence.trainableVariables];
  const optimizer = tf.train.adam(1e-3);
  const loss = () => {
    const e = tf.matMul(tf.relu(tf.add(tf.matMul(x, w1), b1)), w2);
    const d = divergence.pairwise(e, e);
    const perPair = tf.add(tf.mul(same, d), tf.mul(tf.sub(1, same), tf.relu(tf.sub(1, d))));
    return tf.mean(perPair);
  };
  return {
    run: () => {
      const l = optimizer.minimize(loss, true, vars);
      l.dataSync();
      l.dispose();
    },
    dispose: () => {
      tf.dispose([x, same, w1, b1, w2]);
      optimizer.dispose();
    },
  };
}

/** W2: forward D (1024 × 1024) plus the gradient of sum(D) with respect to Q, R and φ's variables. */
function pairwiseStep(divergence) {
  const qv = variableOf(normal([1024, 128]));
  const rv = variableOf(normal([1024, 128]));
  return {
    run: () => {
      // One backward pass for all three: Q and R as variables alongside φ's.
      const { value, grads } = tf.variableGrads(
        () => tf.sum(divergence.pairwise(qv, rv)),
        [qv, rv, ...divergence.trainableVariables],
      );
      value.dataSync();
      tf.dispose([value, ...Object.values(grads)]);
    },
    dispose: () => tf.dispose([qv, rv]),
  };
}

/** W2-matmul: forward and backward of a plain [1024×128]·[128×1024] matMul. */
function matMulStep() {
  const q = normal([1024, 128]);
  const r = normal([128, 1024]);
  return {
    run: () => {
      const [ga, gb] = tf.grads((a, b) => tf.sum(tf.matMul(a, b)))([q, r]);
      ga.dataSync();
      tf.dispose([ga, gb]);
    },
    dispose: () => tf.dispose([q, r]),
  };
}

/**
 * W4: 28×28×1 → conv32(3×3) → pool → conv64(3×3) → pool → dense 128 trunk with the W1 ICNN head, batch 128,
 * contrastive loss, Adam. Returns the step and the kernels that must dominate it (tf.profile, same run).
 */
function cnnStep(divergence) {
  const x = normal([128, 28, 28, 1]);
  const labels = Int32Array.from({ length: 128 }, (_, i) => i % 16);
  const same = tf.tidy(() => {
    const l = tf.tensor1d(labels, 'int32');
    return tf.cast(tf.equal(tf.reshape(l, [128, 1]), tf.reshape(l, [1, 128])), 'float32');
  });
  const k1 = variableOf(normal([3, 3, 1, 32], 0.3));
  const k2 = variableOf(normal([3, 3, 32, 64], 0.05));
  const w = variableOf(normal([7 * 7 * 64, 128], 0.02));
  const vars = [k1, k2, w, ...divergence.trainableVariables];
  const optimizer = tf.train.adam(1e-3);
  const loss = () => {
    let h = tf.maxPool(tf.relu(tf.conv2d(x, k1, 1, 'same')), 2, 2, 'valid');
    h = tf.maxPool(tf.relu(tf.conv2d(h, k2, 1, 'same')), 2, 2, 'valid');
    const e = tf.matMul(tf.reshape(h, [128, 7 * 7 * 64]), w);
    const d = divergence.pairwise(e, e);
    return tf.mean(tf.add(tf.mul(same, d), tf.mul(tf.sub(1, same), tf.relu(tf.sub(1, d)))));
  };
  const step = () => {
    const l = optimizer.minimize(loss, true, vars);
    l.dataSync();
    l.dispose();
  };
  return {
    run: step,
    /** Milliseconds of the conv and matMul kernels (forward and backward) in one profiled step. */
    kernelMs: async () => {
      const heavy = new Set(['Conv2D', 'Conv2DBackpropFilter', 'Conv2DBackpropInput', 'BatchMatMul', '_FusedMatMul']);
      const info = await tf.profile(step);
      let total = 0;
      for (const k of info.kernels) if (heavy.has(k.name)) total += await k.kernelTimeMs;
      return total;
    },
    dispose: () => {
      tf.dispose([x, same, k1, k2, w]);
      optimizer.dispose();
    },
  };
}

function ratioRow(name, ms, referenceName, referenceMs, target) {
  const ratio = ms / referenceMs;
  return {
    workload: name,
    ms,
    reference: referenceName,
    referenceMs,
    ratio,
    target: `≤ ${target}×`,
    met: ratio <= target,
  };
}

/** A row without a reference or target of its own: its native and PyTorch columns are what it is for. */
function columnsOnlyRow(name, ms, detail) {
  return { workload: name, ms, reference: '', referenceMs: null, ratio: null, target: '', met: null, detail };
}

/**
 * A plain 1024 × 1024 by 1024 × 1024 matMul (forward only), for GFLOP/s against OpenBLAS's own and the peer's. Its
 * own generator, so that this row leaves the inputs of the workloads after it as they were before it existed.
 */
function squareMatMul() {
  const own = new SeededRandom(4);
  const a = normalTensor(own, [1024, 1024]);
  const b = normalTensor(own, [1024, 1024]);
  return { run: () => tf.matMul(a, b).dispose(), dispose: () => tf.dispose([a, b]) };
}

const gflops = (flops, ms) => flops / (ms / 1000) / 1e9;

/**
 * The suite's rows, each with an `id` (issue-23-targets.mjs finds rows by it). Each round of W1, W1-trunk, W2, W4
 * and a 1024³ matMul runs ours on wasm alone, then on wasm + native (`native`, native-columns.mjs' nativeSwitch,
 * when available), then the peer's copy (pytorch-peer's PytorchPeer, with --peer) on PEER_THREADS threads; rows gain
 * wasmMs, nativeMs and nativeSpeedup (or nativeError), and peerMs, peerThreads and peerRatio (or peerError). `ms`,
 * the reference ratios and the peer ratios are in the default configuration: wasm + native when available.
 */
export async function runBregmanSuite({ runs = 20, retrieval = true, peer, native }) {
  const rows = [];
  const divergence = w1Divergence();
  const trunkOnly = new SquaredEuclideanDivergence();
  const w1 = trainingStep(divergence);
  const w1Trunk = trainingStep(trunkOnly);
  const [w1Times, w1TrunkTimes, [w1PeerTime], [w1TrunkPeerTime]] = await timeInterleavedGroups(
    [
      nativeEntries(native, w1.run),
      nativeEntries(native, w1Trunk.run),
      peerEntries(peer, 'W1', { threads: PEER_THREADS }),
      peerEntries(peer, 'W1-trunk', { threads: PEER_THREADS }),
    ],
    { runs },
  );
  w1.dispose();
  w1Trunk.dispose();
  const w1Fields = nativeFields(native, w1Times);
  const w1TrunkFields = nativeFields(native, w1TrunkTimes);
  rows.push({
    id: 'W1',
    // Samples one step trains (issue 23's per-sample comparison of the two-worker step reads it).
    samplesPerStep: 256,
    ...w1Fields,
    ...ratioRow(
      'W1 Bregman training step (ICNN head)',
      w1Fields.ms,
      'W1-trunk (squared Euclidean)',
      w1TrunkFields.ms,
      2.0,
    ),
    ...peerFields(peer, w1Fields.ms, w1PeerTime, PEER_THREADS),
  });
  rows.push({
    id: 'W1-trunk',
    ...w1TrunkFields,
    ...columnsOnlyRow('W1-trunk training step (squared Euclidean)', w1TrunkFields.ms, ''),
    ...peerFields(peer, w1TrunkFields.ms, w1TrunkPeerTime, PEER_THREADS),
  });

  const w2 = pairwiseStep(divergence);
  const w2mm = matMulStep();
  const [w2Times, w2mmTimes, [w2PeerTime]] = await timeInterleavedGroups(
    [
      nativeEntries(native, w2.run),
      nativeEntries(native, w2mm.run),
      peerEntries(peer, 'W2', { threads: PEER_THREADS }),
    ],
    { runs },
  );
  w2.dispose();
  w2mm.dispose();
  const w2Fields = nativeFields(native, w2Times);
  rows.push({
    id: 'W2',
    ...w2Fields,
    ...ratioRow(
      'W2 pairwise D 1024×1024×128 fwd+bwd',
      w2Fields.ms,
      'W2-matmul fwd+bwd',
      nativeFields(native, w2mmTimes).ms,
      5.0,
    ),
    ...peerFields(peer, w2Fields.ms, w2PeerTime, PEER_THREADS),
  });

  rows.push(await squareMatMulRow(runs, peer, native));

  const w4 = cnnStep(divergence);
  const [w4Times, [w4PeerTime]] = await timeInterleavedGroups(
    [nativeEntries(native, w4.run), peerEntries(peer, 'W4', { threads: PEER_THREADS })],
    { runs: Math.min(runs, 10) },
  );
  // The reference in the default configuration, like the row's `ms`.
  await native.restore();
  const kernelTimes = [];
  for (let i = 0; i < 3; i++) kernelTimes.push(await w4.kernelMs());
  kernelTimes.sort((a, b) => a - b);
  w4.dispose();
  const w4Fields = nativeFields(native, w4Times);
  rows.push({
    id: 'W4',
    ...w4Fields,
    ...ratioRow(
      'W4 CNN step (conv32-pool-conv64-pool-dense128 + ICNN), batch 128',
      w4Fields.ms,
      'its conv + matMul kernels (tf.profile)',
      kernelTimes[1],
      2.0,
    ),
    ...peerFields(peer, w4Fields.ms, w4PeerTime, PEER_THREADS),
  });

  if (retrieval) {
    // W3: 10,000 queries × 60,000 references × 128 dims, top-10 smallest D(q, r), through the eval package, in the
    // default configuration only (3 runs of ~9 s; its two-worker row has both).
    const queries = normal([10_000, 128]);
    const references = normal([60_000, 128]);
    let peakRss = process.memoryUsage().rss;
    const timer = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }, 50);
    const w3 = await timeMedian(() => exactKnn(divergence, queries, references, { k: 10, queryIn: 'left' }), {
      runs: 3,
      warmup: 0,
    });
    clearInterval(timer);
    const flops = 2 * 10_000 * 60_000 * 128;
    const a = normal([1024, 128]);
    const b = normal([128, 4096]);
    const mm = await timeMedian(() => tf.matMul(a, b).dispose(), { runs: 20 });
    tf.dispose([queries, references, a, b]);
    const effective = flops / (w3.medianMs / 1000) / 1e9;
    const matMulGflops = (2 * 1024 * 128 * 4096) / (mm.medianMs / 1000) / 1e9;
    rows.push({
      id: 'W3',
      workload: 'W3 exact top-10, 10k × 60k × 128 (ICNN, query left)',
      ...defaultConfigurationFields(native, w3.medianMs),
      reference: 'plain matMul GFLOP/s',
      referenceMs: null,
      ratio: effective / matMulGflops,
      target: '≥ 0.5 of matMul GFLOP/s, RSS ≤ 1 GB',
      met: effective / matMulGflops >= 0.5 && peakRss <= 1024 ** 3,
      detail: `${effective.toFixed(1)} GFLOP/s effective vs ${matMulGflops.toFixed(1)} matMul; ${((10_000 * 60_000) / (w3.medianMs / 1000) / 1e6).toFixed(0)} M divergences/s; peak RSS ${(peakRss / 1024 ** 2).toFixed(0)} MB`,
    });
  }
  divergence.dispose();
  return rows;
}

/**
 * The 1024³ matMul row: tfjs on wasm alone and on wasm + native, OpenBLAS's own sgemm on the same shape (the
 * addon called directly; `openblasShare` = its ms ÷ tfjs + native's, i.e. the share of its GFLOP/s tfjs reaches),
 * and the peer's, all in the same rounds.
 */
async function squareMatMulRow(runs, peer, native) {
  const n = 1024;
  const mm = squareMatMul();
  const openblas = native.available ? await openblasSquareMatMul(n) : { error: native.reason };
  const [mmTimes, [openblasTime], [mmPeerTime]] = await timeInterleavedGroups(
    [
      nativeEntries(native, mm.run),
      openblas.run ? [openblas.run] : [],
      peerEntries(peer, 'matMul', { threads: PEER_THREADS, n }),
    ],
    { runs },
  );
  mm.dispose();
  const fields = nativeFields(native, mmTimes);
  const flops = 2 * n ** 3;
  const rate = (label, ms) => `${label} ${gflops(flops, ms).toFixed(1)} GFLOP/s`;
  const detail = [
    rate('wasm', fields.wasmMs),
    ...(fields.nativeMs === undefined ? [] : [rate('wasm + native', fields.nativeMs)]),
    openblasTime ? rate('OpenBLAS sgemm', openblasTime.medianMs) : `OpenBLAS sgemm: ${openblas.error}`,
    ...(mmPeerTime?.medianMs ? [rate('PyTorch', mmPeerTime.medianMs)] : []),
  ].join('; ');
  return {
    id: 'matMul',
    ...fields,
    ...columnsOnlyRow('plain matMul 1024×1024×1024', fields.ms, detail),
    ...(openblasTime && fields.nativeMs !== undefined
      ? { openblasMs: openblasTime.medianMs, openblasShare: openblasTime.medianMs / fields.nativeMs }
      : { openblasError: openblas.error ?? fields.nativeError }),
    ...peerFields(peer, fields.ms, mmPeerTime, PEER_THREADS),
  };
}
