import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, beforeEach, expect } from 'vitest';
import { initBackend } from '../init-backend';
import { setNativeKernels } from '../native-kernels/native-kernels';
import { setWasmTrainingKernels } from '../wasm-kernels/wasm-training-kernels';

/**
 * Whether this run of a native kernel test has the native kernels on: the package's test script runs those files
 * twice, as configured and with BREGMAN_NATIVE=0, and each case asserts which path ran.
 */
export const NATIVE_RUN = process.env.BREGMAN_NATIVE !== '0';

/**
 * The hooks of a native kernel test file: wasm with the native kernels on exactly when {@link NATIVE_RUN} (checked,
 * with the reason when they are off against expectation), and after every case the kernels as the run started them
 * (native per the run, the wasm training layer on) and the tensor count it found.
 */
export function nativeKernelTestHooks(): void {
  beforeAll(async () => {
    const info = await initBackend({ force: 'wasm', quiet: true });
    expect(info.native?.enabled ?? false, info.native?.reason ?? '').toBe(NATIVE_RUN);
  });
  let tensorsBefore = 0;
  beforeEach(() => {
    tensorsBefore = tf.memory().numTensors;
  });
  afterEach(async () => {
    setWasmTrainingKernels(true);
    await setNativeKernels(NATIVE_RUN);
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  });
}
