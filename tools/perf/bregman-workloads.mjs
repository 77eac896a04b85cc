// Suite "bregman": the performance issue's workloads W1 (training step), W2 (pairwise divergence) and W3 (exact
// retrieval), each next to the reference it is judged against, measured in the same run. With a peer (--peer
// pytorch) the mirrored workloads also run in it, in the same alternating rounds as ours, on one thread like ours.
import { BregmanDivergence, SquaredEuclideanDivergence } from '@empirical-bregman/bregman-core';
import { SeededRandom } from '@empirical-bregman/common';
import { IcnnConvexFunction } from '@empirical-bregman/convex-net';
import { exactKnn } from '@empirical-bregman/search';
import * as tf from '@tensorflow/tfjs-core';
import { normalTensor, timeInterleaved, timeMedian } from './harness.mjs';
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

/** A row of our figure beside the peer's only (no reference or target of our own): what --peer adds. */
function peerOnlyRow(name, ms, detail) {
  return { workload: name, ms, reference: '', referenceMs: null, ratio: null, target: '', met: null, detail };
}

/**
 * A plain 1024 × 1024 by 1024 × 1024 matMul (forward only), for GFLOP/s against the peer's. Its own generator, so
 * that --peer leaves the inputs of the workloads after it as they are without it.
 */
function squareMatMul() {
  const own = new SeededRandom(4);
  const a = normalTensor(own, [1024, 1024]);
  const b = normalTensor(own, [1024, 1024]);
  return { run: () => tf.matMul(a, b).dispose(), dispose: () => tf.dispose([a, b]) };
}

const gflops = (flops, ms) => flops / (ms / 1000) / 1e9;

/**
 * The suite's rows. With `peer` (pytorch-peer's PytorchPeer) each round of W1, W1-trunk, W2, W4 and a 1024³ matMul
 * runs the peer's copy after ours, on 1 thread (ours are single-threaded wasm); rows gain peerMs, peerThreads and
 * peerRatio (ours ÷ the peer's), or peerError, and W1-trunk and the matMul get rows of their own.
 */
export async function runBregmanSuite({ runs = 20, retrieval = true, peer } = {}) {
  const rows = [];
  const divergence = w1Divergence();
  const trunkOnly = new SquaredEuclideanDivergence();
  const w1 = trainingStep(divergence);
  const w1Trunk = trainingStep(trunkOnly);
  const w1Peer = [
    ...peerEntries(peer, 'W1', { threads: PEER_THREADS }),
    ...peerEntries(peer, 'W1-trunk', { threads: PEER_THREADS }),
  ];
  const [w1Time, w1TrunkTime, w1PeerTime, w1TrunkPeerTime] = await timeInterleaved([w1.run, w1Trunk.run, ...w1Peer], {
    runs,
  });
  const [w1Ms, w1TrunkMs] = [w1Time.medianMs, w1TrunkTime.medianMs];
  w1.dispose();
  w1Trunk.dispose();
  rows.push({
    ...ratioRow('W1 Bregman training step (ICNN head)', w1Ms, 'W1-trunk (squared Euclidean)', w1TrunkMs, 2.0),
    ...peerFields(peer, w1Ms, w1PeerTime, PEER_THREADS),
  });
  if (peer) {
    rows.push({
      ...peerOnlyRow('W1-trunk training step (squared Euclidean)', w1TrunkMs, ''),
      ...peerFields(peer, w1TrunkMs, w1TrunkPeerTime, PEER_THREADS),
    });
  }

  const w2 = pairwiseStep(divergence);
  const w2mm = matMulStep();
  const [w2Time, w2mmTime, w2PeerTime] = await timeInterleaved(
    [w2.run, w2mm.run, ...peerEntries(peer, 'W2', { threads: PEER_THREADS })],
    { runs },
  );
  const [w2Ms, w2mmMs] = [w2Time.medianMs, w2mmTime.medianMs];
  w2.dispose();
  w2mm.dispose();
  rows.push({
    ...ratioRow('W2 pairwise D 1024×1024×128 fwd+bwd', w2Ms, 'W2-matmul fwd+bwd', w2mmMs, 5.0),
    ...peerFields(peer, w2Ms, w2PeerTime, PEER_THREADS),
  });

  if (peer) {
    const mm = squareMatMul();
    const [mmTime, mmPeerTime] = await timeInterleaved(
      [mm.run, ...peerEntries(peer, 'matMul', { threads: PEER_THREADS, n: 1024 })],
      { runs },
    );
    mm.dispose();
    const flops = 2 * 1024 ** 3;
    rows.push({
      ...peerOnlyRow(
        'plain matMul 1024×1024×1024',
        mmTime.medianMs,
        `${gflops(flops, mmTime.medianMs).toFixed(1)} GFLOP/s${mmPeerTime?.medianMs ? `; PyTorch ${gflops(flops, mmPeerTime.medianMs).toFixed(1)} GFLOP/s` : ''}`,
      ),
      ...peerFields(peer, mmTime.medianMs, mmPeerTime, PEER_THREADS),
    });
  }

  const w4 = cnnStep(divergence);
  const [w4Time, w4PeerTime] = await timeInterleaved([w4.run, ...peerEntries(peer, 'W4', { threads: PEER_THREADS })], {
    runs: Math.min(runs, 10),
  });
  const w4Ms = w4Time.medianMs;
  const kernelTimes = [];
  for (let i = 0; i < 3; i++) kernelTimes.push(await w4.kernelMs());
  kernelTimes.sort((a, b) => a - b);
  w4.dispose();
  rows.push({
    ...ratioRow(
      'W4 CNN step (conv32-pool-conv64-pool-dense128 + ICNN), batch 128',
      w4Ms,
      'its conv + matMul kernels (tf.profile)',
      kernelTimes[1],
      2.0,
    ),
    ...peerFields(peer, w4Ms, w4PeerTime, PEER_THREADS),
  });

  if (retrieval) {
    // W3: 10,000 queries × 60,000 references × 128 dims, top-10 smallest D(q, r), through the eval package.
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
      workload: 'W3 exact top-10, 10k × 60k × 128 (ICNN, query left)',
      ms: w3.medianMs,
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
