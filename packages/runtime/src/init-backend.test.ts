import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { missingGradients } from './gradients';
import { describeBackend, initBackend } from './init-backend';
import { trainingSmokeTest } from './training-smoke-test';

// The test setup starts the default backend (in its beforeAll, which runs before this file's); restore it after
// the tests that switch backends.
let initial = '';
beforeAll(() => {
  initial = tf.getBackend();
});
afterAll(async () => {
  await tf.setBackend(initial);
});

async function tfjsNodeLoads(): Promise<boolean> {
  const name = '@tensorflow/tfjs-node';
  try {
    await import(name);
    return true;
  } catch {
    return false;
  }
}

describe('initBackend', () => {
  it('starts the best available backend, registers gradients, and patches wasm', async () => {
    const lines: string[] = [];
    // `prefer` differs from the test setup's call, so this starts afresh (equal options return the cached start).
    const info = await initBackend({ env: {}, prefer: ['tensorflow', 'wasm'], log: (l) => lines.push(l) });
    const expected = (await tfjsNodeLoads()) ? 'tensorflow' : 'wasm';
    expect(info.backend).toBe(expected);
    expect(tf.getBackend()).toBe(expected);
    expect(missingGradients()).toEqual([]);
    if (expected === 'wasm') {
      expect(info.simd).toBe(true);
      expect(info.threads).toBe(1);
      expect(info.patchedKernels).toContain('Conv2DBackpropFilter');
      expect(info.attempts[0]).toMatchObject({ backend: 'tensorflow', error: expect.stringContaining('') });
    }
    const label = info.native?.enabled ? `${expected} \\+ native BLAS` : expected;
    expect(lines.join('\n')).toMatch(new RegExp(`tfjs backend ${label} \\(tfjs 4\\.22\\.0; chosen by prefer`));
    expect(describeBackend(info)).toBe(lines[0]);
    expect(lines).toHaveLength(1);
    // Equal options: the same start, not logged twice.
    expect(await initBackend({ env: {}, prefer: ['tensorflow', 'wasm'], log: (l) => lines.push(l) })).toBe(info);
    expect(lines).toHaveLength(1);
  });

  it('leaves the native BLAS kernels off when asked, and says so in its line', async () => {
    const lines: string[] = [];
    const info = await initBackend({ force: 'wasm', env: {}, native: false, log: (l) => lines.push(l) });
    expect(info.native).toMatchObject({ enabled: false, reason: 'disabled by initBackend({ native: false })' });
    expect(lines[0]).toMatch(
      /^empirical-bregman: tfjs backend wasm \(.*; native BLAS off: disabled by initBackend\(\{ native: false \}\)/,
    );
    const cpu = await initBackend({ force: 'cpu', env: {}, quiet: true });
    expect(cpu.native).toBeNull();
    expect(describeBackend(cpu)).not.toMatch(/native/);
  });

  it('obeys BREGMAN_BACKEND=cpu', async () => {
    const info = await initBackend({ env: { BREGMAN_BACKEND: 'cpu' }, quiet: true });
    expect(info).toMatchObject({ backend: 'cpu', source: 'BREGMAN_BACKEND', simd: null });
    expect(tf.getBackend()).toBe('cpu');
  });

  it('gives a clear error when the forced tensorflow backend is not installed', async () => {
    if (await tfjsNodeLoads()) {
      const info = await initBackend({ force: 'tensorflow', env: {}, quiet: true });
      expect(info.backend).toBe('tensorflow');
      return;
    }
    await expect(initBackend({ force: 'tensorflow', env: {}, quiet: true })).rejects.toThrow(
      /initBackend: the backend "tensorflow" was demanded by force but cannot be used here/,
    );
  });

  it('rejects a misspelt BREGMAN_BACKEND before touching any backend', async () => {
    expect(() => initBackend({ env: { BREGMAN_BACKEND: 'wsam' } })).toThrow(/expected BREGMAN_BACKEND to be one of/);
  });

  it('falls back, with the reason, when a backend fails the training smoke test', async () => {
    const lines: string[] = [];
    const tested: string[] = [];
    const info = await initBackend({
      env: {},
      prefer: ['wasm', 'cpu'],
      log: (l) => lines.push(l),
      smokeTest: async () => {
        tested.push(tf.getBackend());
        if (tf.getBackend() === 'wasm') throw new Error('a kernel returned NaN\nsecond line dropped');
        return trainingSmokeTest();
      },
    });
    expect(tested).toEqual(['wasm', 'cpu']);
    expect(info.backend).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(info.attempts).toEqual([
      { backend: 'wasm', error: 'training smoke test failed: a kernel returned NaN' },
      { backend: 'cpu' },
    ]);
    expect(info.smokeTest?.loss).toBeGreaterThan(0);
    expect(lines[0]).toMatch(
      /^empirical-bregman: tfjs backend cpu \(.*one training step passed in \d+ ms; wasm unavailable: training smoke test failed: a kernel returned NaN\)$/,
    );
  });

  it('in Node, says why the browser backends cannot start', async () => {
    const info = await initBackend({ env: {}, prefer: ['webgpu', 'webgl', 'cpu'], quiet: true, smokeTest: true });
    expect(info.platform).toBe('node');
    expect(info.attempts).toEqual([
      { backend: 'webgpu', error: 'webgpu runs only in a browser' },
      { backend: 'webgl', error: 'webgl runs only in a browser' },
      { backend: 'cpu' },
    ]);
    expect(info.smokeTest).not.toBeNull();
  });
});
