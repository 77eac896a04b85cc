import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { trainingSmokeTest } from './training-smoke-test';

describe('trainingSmokeTest', () => {
  it('trains one step on the test backend: a finite positive loss, no tensor left behind', async () => {
    await trainingSmokeTest(); // warm-up: kernels and the optimizer's first allocations
    const before = tf.memory().numTensors;
    const { loss, ms } = await trainingSmokeTest();
    expect(tf.memory().numTensors).toBe(before);
    // The loss mixes D ≥ 0 (pulled pairs) and relu(1 − D) ≥ 0 (pushed pairs): positive, and finite.
    expect(Number.isFinite(loss)).toBe(true);
    expect(loss).toBeGreaterThan(0);
    expect(ms).toBeGreaterThan(0);
  });

  it('is deterministic: the same loss on wasm and cpu (no random op, same arithmetic up to float32 rounding)', async () => {
    const initial = tf.getBackend();
    const losses: number[] = [];
    for (const backend of ['wasm', 'cpu']) {
      await tf.setBackend(backend);
      losses.push((await trainingSmokeTest()).loss);
    }
    await tf.setBackend(initial);
    expect(losses[0]).toBeCloseTo(losses[1]!, 5);
  });

  // The two ways a backend breaks training, made on cpu by swapping one kernel: the smoke test must refuse it.
  async function withSoftplus(replacement: tf.KernelConfig | undefined, run: () => Promise<void>): Promise<void> {
    const initial = tf.getBackend();
    await tf.setBackend('cpu');
    const original = tf.getKernel('Softplus', 'cpu')!;
    tf.unregisterKernel('Softplus', 'cpu');
    if (replacement) tf.registerKernel(replacement);
    try {
      await run();
    } finally {
      if (replacement) tf.unregisterKernel('Softplus', 'cpu');
      tf.registerKernel(original);
      await tf.setBackend(initial);
    }
  }

  it('fails, naming what, when a value is not finite', async () => {
    const nanSoftplus: tf.KernelConfig = {
      kernelName: 'Softplus',
      backendName: 'cpu',
      kernelFunc: ({ inputs, backend }) => {
        const x = inputs.x as tf.TensorInfo;
        const size = x.shape.reduce((a, b) => a * b, 1);
        const cpu = backend as { makeTensorInfo(shape: number[], dtype: string, values: Float32Array): tf.TensorInfo };
        return cpu.makeTensorInfo(x.shape, 'float32', new Float32Array(size).fill(Number.NaN));
      },
    };
    await withSoftplus(nanSoftplus, async () => {
      await expect(trainingSmokeTest()).rejects.toThrow(/^expected finite values, got non-finite loss, gradient of/);
    });
  });

  it('fails when a kernel is missing, naming the kernel', async () => {
    // No tensor count here: tfjs 4.22 itself leaks the intermediates already taped when a kernel is missing inside
    // `variableGrads` (measured: 2 tensors for sum(softplus(x + 1)), with or without an enclosing tidy).
    await withSoftplus(undefined, async () => {
      await expect(trainingSmokeTest()).rejects.toThrow("Kernel 'Softplus' not registered for backend 'cpu'");
    });
  });
});
