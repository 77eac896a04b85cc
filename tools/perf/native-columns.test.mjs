import { initBackend, setNativeKernels } from '@empirical-bregman/runtime';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepared, timeInterleaved, timeInterleavedGroups } from './harness.mjs';
import {
  defaultConfigurationFields,
  NATIVE_COLUMNS,
  nativeCells,
  nativeEntries,
  nativeFields,
  nativeSwitch,
} from './native-columns.mjs';

// Like runtime's own tests: the addon is built by `node tools/prereqs/ensure.mjs`; BREGMAN_NATIVE=0 runs the
// native-off path on the real backend.
const NATIVE = process.env.BREGMAN_NATIVE !== '0';

/** A switch as nativeSwitch makes it from a BackendInfo whose native kernels are off for `reason`. */
const offSwitch = (reason) => nativeSwitch({ backend: 'wasm', native: { enabled: false, reason } });
const onSwitch = () => nativeSwitch({ backend: 'wasm', native: { enabled: true, reason: null } });
const median = (medianMs) => ({ medianMs });

describe('the native columns, from hand-made timings', () => {
  it('put wasm, wasm + native and the speed-up in a row; ms is wasm + native', () => {
    const fields = nativeFields(onSwitch(), [median(90), median(36)]);
    expect(fields).toEqual({ ms: 36, wasmMs: 90, nativeMs: 36, nativeSpeedup: 2.5 });
    expect(nativeCells(fields)).toEqual({ 'wasm ms': '90.0', 'wasm + native ms': '36.0', 'native speed-up': '2.50×' });
    expect(Object.keys(nativeCells(fields))).toEqual(NATIVE_COLUMNS);
  });

  it('with native off: wasm alone, and the native column says why (no failure)', () => {
    const native = offSwitch('disabled by BREGMAN_NATIVE=0');
    expect(native.available).toBe(false);
    expect(native.workerBackend(true)).toEqual({ native: false });
    expect(nativeEntries(native, () => {})).toHaveLength(1);
    const fields = nativeFields(native, [median(90)]);
    expect(fields).toEqual({ ms: 90, wasmMs: 90, nativeError: 'native BLAS off: disabled by BREGMAN_NATIVE=0' });
    expect(nativeCells(fields)).toEqual({
      'wasm ms': '90.0',
      'wasm + native ms': 'native BLAS off: disabled by BREGMAN_NATIVE=0',
      'native speed-up': '',
    });
  });

  it('a backend other than wasm has no native side, and says so', () => {
    expect(nativeSwitch({ backend: 'cpu', native: null }).reason).toBe('native BLAS off: backend cpu, not wasm');
  });

  it('a row timed in the default configuration only goes in the column of that configuration', () => {
    expect(nativeCells(defaultConfigurationFields(onSwitch(), 9000))).toEqual({
      'wasm ms': '',
      'wasm + native ms': '9000.0',
      'native speed-up': '',
    });
    expect(defaultConfigurationFields(offSwitch('off'), 9000)).toEqual({
      ms: 9000,
      wasmMs: 9000,
      nativeError: 'native BLAS off: off',
    });
  });
});

describe('prepared entries in alternating rounds', () => {
  it('prepare each run, untimed, in round order, and come back grouped', async () => {
    const log = [];
    const entry = (name, prepareMs) =>
      prepared(
        () => new Promise((resolve) => setTimeout(() => resolve(log.push(`prepare ${name}`)), prepareMs)),
        () => log.push(`run ${name}`),
      );
    const [[a, b], [c], none] = await timeInterleavedGroups(
      [[entry('a', 30), entry('b', 30)], [() => log.push('run c')], []],
      {
        runs: 2,
        warmup: 0,
      },
    );
    expect(log).toEqual([
      'prepare a',
      'run a',
      'prepare b',
      'run b',
      'run c',
      'prepare a',
      'run a',
      'prepare b',
      'run b',
      'run c',
    ]);
    // The 30 ms preparation is not in the time.
    expect(a.medianMs).toBeLessThan(25);
    expect(b.medianMs).toBeLessThan(25);
    expect(c.runs).toBe(2);
    expect(none).toEqual([]);
  });
});

describe('the two sides on the real wasm backend', () => {
  let info;
  let tensorsBefore;
  beforeAll(async () => {
    info = await initBackend({ force: 'wasm', quiet: true });
    if (NATIVE && !info.native?.enabled) {
      throw new Error(`native BLAS kernels expected on, got off: ${info.native?.reason ?? 'not on wasm in Node'}`);
    }
    tensorsBefore = tf.memory().numTensors;
  });
  afterAll(async () => {
    await setNativeKernels(NATIVE);
  });

  it('time the wasm side with the native kernels off and the native side with them on', async () => {
    const native = nativeSwitch(info);
    expect(native.available).toBe(NATIVE);
    // What each configuration registers for matMul, read from tfjs's kernel registry: by its code (each switch
    // registers fresh closures, so the functions themselves are never the same twice).
    const registeredMatMul = () => tf.getKernel('BatchMatMul', 'wasm').kernelFunc.toString();
    await setNativeKernels(false);
    const wasmMatMul = registeredMatMul();
    await setNativeKernels(NATIVE);
    const defaultMatMul = registeredMatMul();
    expect(defaultMatMul !== wasmMatMul).toBe(NATIVE);

    const a = tf.ones([64, 32]);
    const b = tf.ones([32, 16]);
    const seen = [];
    const probe = () => {
      const kernel = registeredMatMul();
      seen.push(kernel === wasmMatMul ? 'wasm' : kernel === defaultMatMul ? 'native' : 'other');
      const product = tf.matMul(a, b);
      // Either side computes the product: 32 ones summed.
      expect(product.dataSync().every((v) => v === 32)).toBe(true);
      product.dispose();
    };
    await timeInterleaved(nativeEntries(native, probe), { runs: 2, warmup: 0 });
    expect(seen).toEqual(NATIVE ? ['wasm', 'native', 'wasm', 'native'] : ['wasm', 'wasm']);
    tf.dispose([a, b]);
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  });

  it('restore() puts back what initBackend chose', async () => {
    const native = nativeSwitch(info);
    await native.use(false);
    expect((await native.restore()).enabled).toBe(NATIVE);
  });
});
