// Suite "runtime": stock tfjs-wasm kernels against the runtime package's training kernels, both on wasm alone, and
// those with the native BLAS kernels over them, in one run.
import { SeededRandom } from '@empirical-bregman/common';
import { setWasmTrainingKernels } from '@empirical-bregman/runtime';
import * as tf from '@tensorflow/tfjs-core';
import { normalTensor, timeMedian } from './harness.mjs';

const rng = new SeededRandom(1);
const normal = (shape, std = 1) => normalTensor(rng, shape, std);

/**
 * wasm kernels run synchronously, so the op has finished when it returns; reading the result back would add a copy
 * of the output (and returning a typed array from tf.tidy makes tidy walk every element) to what we measure.
 */
function disposeAfter(t) {
  t.dispose();
}

function matMulWorkloads() {
  // The two products of a dense layer's backward pass (784 → 256, batch 256): dW = xᵀ·dy and dx = dy·Wᵀ.
  const x = normal([256, 784]);
  const dy = normal([256, 256]);
  const w = normal([784, 256]);
  return {
    tensors: [x, dy, w],
    cases: [
      { name: 'matMul transposeA [784x256]·[256x256]', run: () => disposeAfter(tf.matMul(x, dy, true, false)) },
      { name: 'matMul transposeB [256x256]·[256x784]', run: () => disposeAfter(tf.matMul(dy, w, false, true)) },
      { name: 'matMul plain [256x784]·[784x256] (reference)', run: () => disposeAfter(tf.matMul(x, w)) },
    ],
  };
}

function transposeWorkloads() {
  // A square matrix, and a reference block of the Bregman search ([4096 references, d + 2]).
  const square = normal([1024, 1024]);
  const block = normal([4096, 130]);
  return {
    tensors: [square, block],
    cases: [
      { name: 'transpose [1024x1024]', run: () => disposeAfter(tf.transpose(square)) },
      { name: 'transpose [4096x130]', run: () => disposeAfter(tf.transpose(block)) },
    ],
  };
}

function mlpStep() {
  // 784-256-128 MLP, softmax cross-entropy on 10 classes, Adam, batch 256.
  const x = normal([256, 784]);
  const y = tf
    .oneHot(
      tf.tensor1d(
        Array.from({ length: 256 }, (_, i) => i % 10),
        'int32',
      ),
      10,
    )
    .toFloat();
  const vars = [
    normal([784, 256], 0.05),
    normal([256]),
    normal([256, 128], 0.05),
    normal([128]),
    normal([128, 10], 0.05),
  ].map((t) => tf.variable(t));
  const optimizer = tf.train.adam(1e-3);
  const loss = () =>
    tf.losses.softmaxCrossEntropy(
      y,
      tf.matMul(tf.relu(tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(x, vars[0]), vars[1])), vars[2]), vars[3])), vars[4]),
    );
  return {
    tensors: [x, y, ...vars],
    optimizer,
    run: () => {
      const l = optimizer.minimize(loss, true);
      l.dataSync();
      l.dispose();
    },
  };
}

function cnnStep() {
  // 28×28×1 → conv32(3×3, same) → pool → conv64(3×3, same) → pool → dense 128 → 10, Adam, batch 64.
  const x = normal([64, 28, 28, 1]);
  const y = tf
    .oneHot(
      tf.tensor1d(
        Array.from({ length: 64 }, (_, i) => i % 10),
        'int32',
      ),
      10,
    )
    .toFloat();
  const vars = [
    normal([3, 3, 1, 32], 0.3),
    normal([3, 3, 32, 64], 0.05),
    normal([7 * 7 * 64, 128], 0.02),
    normal([128, 10], 0.05),
  ].map((t) => tf.variable(t));
  const optimizer = tf.train.adam(1e-3);
  const loss = () => {
    let h = tf.maxPool(tf.relu(tf.conv2d(x, vars[0], 1, 'same')), 2, 2, 'valid');
    h = tf.maxPool(tf.relu(tf.conv2d(h, vars[1], 1, 'same')), 2, 2, 'valid');
    return tf.losses.softmaxCrossEntropy(
      y,
      tf.matMul(tf.relu(tf.matMul(h.reshape([64, 7 * 7 * 64]), vars[2])), vars[3]),
    );
  };
  return {
    tensors: [x, y, ...vars],
    optimizer,
    run: () => {
      const l = optimizer.minimize(loss, true);
      l.dataSync();
      l.dispose();
    },
  };
}

/**
 * The row of `run`: stock wasm kernels against this package's (both on wasm alone: the native kernels switched off
 * around them, so that the comparison is the wasm kernels'), then patched + native when `native` (native-columns.mjs'
 * nativeSwitch) has them; null ms with the error's first line when a side cannot run.
 */
async function compare(name, run, runs, native) {
  const out = { workload: name };
  const sides = [
    ['stock', { training: false, native: false }],
    ['patched', { training: true, native: false }],
    ...(native.available ? [['native', { training: true, native: true }]] : []),
  ];
  for (const [label, kernels] of sides) {
    setWasmTrainingKernels(kernels.training);
    await native.use(kernels.native);
    try {
      out[`${label}Ms`] = (await timeMedian(run, { runs, warmup: 2 })).medianMs;
    } catch (error) {
      out[`${label}Ms`] = null;
      out[`${label}Error`] = error.message.split('\n')[0].slice(0, 100);
    }
  }
  out.ratio = out.stockMs && out.patchedMs ? out.stockMs / out.patchedMs : null;
  if (!native.available) out.nativeError = native.reason;
  else out.nativeSpeedup = out.patchedMs && out.nativeMs ? out.patchedMs / out.nativeMs : null;
  return out;
}

/**
 * Returns rows: workload, stock ms, patched ms, stock/patched ratio (stock = null when it cannot run), and patched +
 * native ms with patched/native (nativeMs, nativeSpeedup), or nativeError when the native kernels are off.
 */
export async function runRuntimeSuite({ runs = 20, native }) {
  if (tf.getBackend() !== 'wasm')
    return [{ workload: 'runtime kernels', skipped: `backend is ${tf.getBackend()}, not wasm` }];
  const rows = [];
  try {
    for (const make of [matMulWorkloads, transposeWorkloads]) {
      const w = make();
      for (const c of w.cases) rows.push(await compare(c.name, c.run, runs, native));
      tf.dispose(w.tensors);
    }
    for (const [name, make] of [
      ['MLP 784-256-128 Adam step, batch 256', mlpStep],
      ['CNN conv32-pool-conv64-pool-dense128 Adam step, batch 64', cnnStep],
    ]) {
      const w = make();
      rows.push(await compare(name, w.run, runs, native));
      tf.dispose(w.tensors);
      w.optimizer.dispose();
    }
  } finally {
    setWasmTrainingKernels(true);
    await native.restore();
  }
  return rows;
}
