import * as tf from '@tensorflow/tfjs-core';
import type * as NativeBlasPackage from '@empirical-bregman/native-blas';
import type { KernelFunc } from '../wasm-kernels/kernel-types';
import { setWasmKernelLayer, type WasmKernelLayer } from '../wasm-kernels/wasm-kernel-layers';
import { NATIVE_ADAM_KERNEL, setNativeAdam } from './native-adam';
import type { NativeBlasBinding } from './native-blas-binding';
import { makeNativeConv2d } from './native-conv2d';
import { makeNativeConv2dBackpropFilter } from './native-conv2d-backprop-filter';
import { makeNativeConv2dBackpropInput } from './native-conv2d-backprop-input';
import { makeNativeMatMul } from './native-mat-mul';
import { makeNativeMaxPoolGrad } from './native-max-pool-grad';

/** The wasm kernels the native BLAS layer replaces (each falls back to the kernel below it). */
export const NATIVE_KERNELS = [
  'BatchMatMul',
  '_FusedMatMul',
  'Conv2D',
  'FusedConv2D',
  'Conv2DBackpropInput',
  'Conv2DBackpropFilter',
  'MaxPoolGrad',
] as const;

/** Whether the native BLAS kernels run on the wasm backend, on what, or why not. */
export interface NativeKernelsInfo {
  /**
   * True when the kernels of `NATIVE_KERNELS` are registered over the wasm ones, and `tf.AdamOptimizer` steps
   * through the fused native update.
   */
  readonly enabled: boolean;
  /** e.g. "OpenBLAS 0.3.21"; null when off. */
  readonly library: string | null;
  /** The CPU code path OpenBLAS chose, e.g. "Haswell"; null when off. */
  readonly core: string | null;
  /** OpenBLAS's threads (process-wide) when this was read; null when off. */
  readonly threads: number | null;
  /** When on: `NATIVE_KERNELS`, then `NativeAdamUpdate` (the fused Adam step, a kernel of its own); else empty. */
  readonly kernels: readonly string[];
  /** Why they are off, in one line (disabled by BREGMAN_NATIVE=0; the addon not built, and how to build it); null when on. */
  readonly reason: string | null;
}

// A variable, not a literal: bundlers (the browser build) and TypeScript then leave the optional, Node-only package
// alone, and the main entry works without it.
const NATIVE_BLAS = '@empirical-bregman/native-blas';

type Loaded = { binding: NativeBlasBinding; library: string; core: string } | { reason: string };

// Per thread, not per copy of this module (a bundle may hold its own copy of runtime): the binding the native kernels
// use now, for code outside the kernel registry (the data-parallel all-reduce).
const IN_USE = Symbol.for('@empirical-bregman/runtime: native BLAS binding in use');
const registry = globalThis as { [IN_USE]?: NativeBlasBinding | null };

/** The addon the native kernels of this thread use now, or null when they are off. */
export function nativeBlasInUse(): NativeBlasBinding | null {
  return registry[IN_USE] ?? null;
}
let loading: Promise<Loaded> | undefined;

async function load(): Promise<Loaded> {
  const node = (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node;
  if (typeof node !== 'string') return { reason: 'native kernels run only in Node' };
  let pkg: typeof NativeBlasPackage;
  try {
    pkg = (await import(NATIVE_BLAS)) as typeof NativeBlasPackage;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND')
      return { reason: `the optional package ${NATIVE_BLAS} is not installed (npm install ${NATIVE_BLAS})` };
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return { reason: `${NATIVE_BLAS} does not import: ${message}` };
  }
  const loaded = pkg.loadNativeBlas();
  if (!loaded.ok) return { reason: loaded.reason };
  return {
    binding: { blas: loaded.blas, activations: pkg.FUSED_ACTIVATION_CODES, convGeometry: pkg.convGeometry },
    library: loaded.library,
    core: loaded.core,
  };
}

function nativeLayer(native: NativeBlasBinding): WasmKernelLayer {
  return {
    names: NATIVE_KERNELS,
    kernel: (name: string, below: () => KernelFunc): KernelFunc => {
      switch (name as (typeof NATIVE_KERNELS)[number]) {
        case 'BatchMatMul':
          return makeNativeMatMul(native, below, false);
        case '_FusedMatMul':
          return makeNativeMatMul(native, below, true);
        case 'Conv2D':
          return makeNativeConv2d(native, below, false);
        case 'FusedConv2D':
          return makeNativeConv2d(native, below, true);
        case 'Conv2DBackpropInput':
          return makeNativeConv2dBackpropInput(native, below);
        case 'Conv2DBackpropFilter':
          return makeNativeConv2dBackpropFilter(native, below);
        case 'MaxPoolGrad':
          return makeNativeMaxPoolGrad(native, below);
      }
    },
  };
}

const off = (reason: string): NativeKernelsInfo => ({
  enabled: false,
  library: null,
  core: null,
  threads: null,
  kernels: [],
  reason,
});

/**
 * Registers the native BLAS kernels (`NATIVE_KERNELS`: OpenBLAS through the optional addon
 * `@empirical-bregman/native-blas`) over the wasm backend's and makes `tf.AdamOptimizer` (`tf.train.adam`) take each
 * variable's step in one native pass (same state and float32 arithmetic as tfjs's), or with `enabled = false` takes
 * them off again; the perf benchmark compares wasm with wasm + native in one process this way. They sit on top of
 * this package's wasm training kernels (`setWasmTrainingKernels`), which stay their fallback. Node only;
 * `initBackend` calls it on wasm unless `BREGMAN_NATIVE=0`. Never throws for a missing addon: the result says why the
 * kernels are off and how to build them.
 *
 * ```ts
 * const native = await setNativeKernels(true);
 * console.log(native.enabled ? `${native.library}, ${native.threads} threads` : native.reason);
 * ```
 */
export function setNativeKernels(enabled: boolean): Promise<NativeKernelsInfo> {
  return applyNativeKernels(enabled, 'switched off by setNativeKernels(false)');
}

/** `setNativeKernels` with the reason to report when `enabled` is false (initBackend names its own). */
export async function applyNativeKernels(enabled: boolean, offReason: string): Promise<NativeKernelsInfo> {
  if (!enabled) {
    setWasmKernelLayer('native', null);
    setNativeAdam(null);
    registry[IN_USE] = null;
    return off(offReason);
  }
  // The stock kernels are saved on the first registration: the wasm backend's must exist by then.
  if (!tf.findBackendFactory('wasm')) {
    return off('the wasm backend is not registered (call initBackend() first)');
  }
  loading ??= load();
  const loaded = await loading;
  if ('reason' in loaded) {
    setWasmKernelLayer('native', null);
    setNativeAdam(null);
    registry[IN_USE] = null;
    return off(loaded.reason);
  }
  setWasmKernelLayer('native', nativeLayer(loaded.binding));
  setNativeAdam(loaded.binding);
  registry[IN_USE] = loaded.binding;
  return {
    enabled: true,
    library: loaded.library,
    core: loaded.core,
    threads: loaded.binding.blas.threads(),
    kernels: [...NATIVE_KERNELS, NATIVE_ADAM_KERNEL],
    reason: null,
  };
}
