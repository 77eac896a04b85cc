import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../init-backend';

// Reductions over an empty axis, and products with an empty inner dimension, on wasm. Expected values are the
// ones tfjs-backend-cpu gives (read from its kernels: Sum 0, Prod 1, Mean 0, Max/Min NaN for float32 and 0 for
// int32, Any/All false), written out by hand and also compared with cpu itself. Stock wasm fails every case below
// with leftover heap values (e.g. 3.6e-41 for a sum).

interface Result {
  dtype: tf.DataType;
  shape: number[];
  values: number[];
}

/** Leaves non-zero bytes in freed wasm memory, so an unwritten output cannot pass for a zero by luck. */
function dirtyHeap(): void {
  tf.tidy(() => tf.fill([256], 7.5).dataSync());
}

async function runOn(backend: string, f: () => tf.Tensor): Promise<Result> {
  await tf.setBackend(backend);
  dirtyHeap();
  const before = tf.memory().numTensors;
  const t = tf.tidy(f);
  const result = { dtype: t.dtype, shape: t.shape, values: Array.from(await t.data()) };
  t.dispose();
  expect(tf.memory().numTensors).toBe(before);
  return result;
}

/** Runs `f` on wasm and cpu; expects `expected` from both. `toEqual` counts NaN equal to NaN. */
async function expectOnBoth(f: () => tf.Tensor, expected: Result): Promise<void> {
  expect(await runOn('wasm', f)).toEqual(expected);
  expect(await runOn('cpu', f)).toEqual(expected);
}

const NaN3 = [Number.NaN, Number.NaN, Number.NaN];

beforeAll(async () => {
  await import('@tensorflow/tfjs-backend-cpu');
  await initBackend({ force: 'wasm', env: {}, quiet: true });
});
afterAll(async () => {
  await tf.setBackend('wasm');
});

describe('reductions of empty tensors on wasm', () => {
  it('sum: 0 over all axes, a leading empty axis, a trailing empty axis, a middle one, with keepDims', async () => {
    await expectOnBoth(() => tf.sum(tf.zeros([0, 3])), { dtype: 'float32', shape: [], values: [0] });
    await expectOnBoth(() => tf.sum(tf.zeros([0])), { dtype: 'float32', shape: [], values: [0] });
    await expectOnBoth(() => tf.sum(tf.zeros([0, 3]), 0), { dtype: 'float32', shape: [3], values: [0, 0, 0] });
    await expectOnBoth(() => tf.sum(tf.zeros([3, 0]), 1), { dtype: 'float32', shape: [3], values: [0, 0, 0] });
    await expectOnBoth(() => tf.sum(tf.zeros([2, 0, 2]), 1), { dtype: 'float32', shape: [2, 2], values: [0, 0, 0, 0] });
    await expectOnBoth(() => tf.sum(tf.zeros([0, 3]), 0, true), { dtype: 'float32', shape: [1, 3], values: [0, 0, 0] });
    // Nothing to fill: the output is empty too.
    await expectOnBoth(() => tf.sum(tf.zeros([0, 3]), 1), { dtype: 'float32', shape: [0], values: [] });
  });

  it('sum of int32 and bool: 0', async () => {
    await expectOnBoth(() => tf.sum(tf.zeros([0, 3], 'int32'), 0), { dtype: 'int32', shape: [3], values: [0, 0, 0] });
    await expectOnBoth(() => tf.sum(tf.zeros([3, 0], 'bool'), 1), { dtype: 'int32', shape: [3], values: [0, 0, 0] });
  });

  it('mean: 0 as on cpu (float32 and int32 inputs)', async () => {
    await expectOnBoth(() => tf.mean(tf.zeros([0, 3])), { dtype: 'float32', shape: [], values: [0] });
    await expectOnBoth(() => tf.mean(tf.zeros([3, 0]), 1), { dtype: 'float32', shape: [3], values: [0, 0, 0] });
    await expectOnBoth(() => tf.mean(tf.zeros([0, 3], 'int32'), 0), {
      dtype: 'float32',
      shape: [3],
      values: [0, 0, 0],
    });
  });

  it('prod: 1 (float32 and int32)', async () => {
    await expectOnBoth(() => tf.prod(tf.zeros([0, 3])), { dtype: 'float32', shape: [], values: [1] });
    await expectOnBoth(() => tf.prod(tf.zeros([0, 3]), 0), { dtype: 'float32', shape: [3], values: [1, 1, 1] });
    await expectOnBoth(() => tf.prod(tf.zeros([3, 0], 'int32'), 1), { dtype: 'int32', shape: [3], values: [1, 1, 1] });
  });

  it('max and min: NaN for float32, 0 for int32, with keepDims', async () => {
    for (const op of [tf.max, tf.min]) {
      await expectOnBoth(() => op(tf.zeros([0, 3])), { dtype: 'float32', shape: [], values: [Number.NaN] });
      await expectOnBoth(() => op(tf.zeros([3, 0]), 1), { dtype: 'float32', shape: [3], values: NaN3 });
      await expectOnBoth(() => op(tf.zeros([0, 3]), 0, true), { dtype: 'float32', shape: [1, 3], values: NaN3 });
      await expectOnBoth(() => op(tf.zeros([0, 3], 'int32'), 0), { dtype: 'int32', shape: [3], values: [0, 0, 0] });
    }
  });

  it('any and all: false, as on cpu', async () => {
    for (const op of [tf.any, tf.all]) {
      await expectOnBoth(() => op(tf.zeros([0, 3], 'bool')), { dtype: 'bool', shape: [], values: [0] });
      await expectOnBoth(() => op(tf.zeros([3, 0], 'bool'), 1), { dtype: 'bool', shape: [3], values: [0, 0, 0] });
    }
  });

  it('ops built from reductions follow: norm 0, logSumExp NaN, a mean loss of an empty batch exactly 0', async () => {
    await expectOnBoth(() => tf.norm(tf.zeros([0, 3])), { dtype: 'float32', shape: [], values: [0] });
    await expectOnBoth(() => tf.logSumExp(tf.zeros([3, 0]), 1), { dtype: 'float32', shape: [3], values: NaN3 });
    // Σ relu(d⁺ − d⁻ + m) / n over no triplets, as a loss computes it: 0 / max(n, 1) = 0.
    const emptyLoss = () =>
      tf.div(tf.sum(tf.relu(tf.add(tf.sub(tf.zeros([0]), tf.zeros([0])), 0.2))), tf.maximum(tf.scalar(0), 1));
    await expectOnBoth(emptyLoss, { dtype: 'float32', shape: [], values: [0] });
  });

  it('a gradient through a sum of an empty tensor is empty and the loss is 0', async () => {
    await tf.setBackend('wasm');
    dirtyHeap();
    const { value, grad } = tf.valueAndGrad((x: tf.Tensor) => tf.sum(tf.square(x)))(tf.zeros([0, 3]));
    expect(Array.from(await value.data())).toEqual([0]);
    expect(grad.shape).toEqual([0, 3]);
    tf.dispose([value, grad]);
  });
});

describe('matMul with an empty inner dimension on wasm', () => {
  it('gives zeros, with and without transposes, batched', async () => {
    const zeros = (n: number) => Array.from({ length: n }, () => 0);
    await expectOnBoth(() => tf.matMul(tf.ones([3, 0]), tf.ones([0, 4])), {
      dtype: 'float32',
      shape: [3, 4],
      values: zeros(12),
    });
    await expectOnBoth(() => tf.matMul(tf.ones([0, 3]), tf.ones([0, 4]), true, false), {
      dtype: 'float32',
      shape: [3, 4],
      values: zeros(12),
    });
    await expectOnBoth(() => tf.matMul(tf.ones([3, 0]), tf.ones([4, 0]), false, true), {
      dtype: 'float32',
      shape: [3, 4],
      values: zeros(12),
    });
    await expectOnBoth(() => tf.matMul(tf.ones([2, 3, 0]), tf.ones([2, 0, 4])), {
      dtype: 'float32',
      shape: [2, 3, 4],
      values: zeros(24),
    });
  });

  it('fused: the bias through the activation, relu(0 + b)', async () => {
    const f = () =>
      tf.fused.matMul({
        a: tf.ones([2, 0]),
        b: tf.ones([0, 3]),
        bias: tf.tensor1d([1.5, -2, 0.25]),
        activation: 'relu',
      });
    await expectOnBoth(f, { dtype: 'float32', shape: [2, 3], values: [1.5, 0, 0.25, 1.5, 0, 0.25] });
  });
});
