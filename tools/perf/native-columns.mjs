// The native BLAS part of a bench row: every row is timed on wasm alone and on wasm + native (runtime's
// setNativeKernels: OpenBLAS behind matMul and the convolutions) in the same alternating rounds; this file holds the
// switch between the two, the rows' timeInterleaved entries, their JSON fields (wasmMs, nativeMs, nativeSpeedup, or
// nativeError) and the table's three cells.
import { setNativeKernels } from '@empirical-bregman/runtime';
import { prepared } from './harness.mjs';

/**
 * The bench's switch between wasm alone and wasm + native, from what `initBackend` started (`info`, runtime's
 * BackendInfo). Native is available when initBackend turned it on; otherwise `reason` says why (initBackend's own
 * reason, as describeBackend prints it: BREGMAN_NATIVE=0, the addon not built, not on wasm) and every row times
 * wasm alone, without failing.
 */
export function nativeSwitch(info) {
  const available = info.native?.enabled === true;
  const reason = available ? null : `native BLAS off: ${info.native?.reason ?? `backend ${info.backend}, not wasm`}`;
  return {
    available,
    reason,
    /** Switches the native kernels on or off in this thread; resolves to runtime's NativeKernelsInfo. */
    async use(enabled) {
      const state = await setNativeKernels(enabled && available);
      if (enabled && available && !state.enabled)
        throw new Error(`bench:perf: expected native BLAS on, got ${state.reason}`);
      return state;
    },
    /** Back to what initBackend chose: on when available. */
    restore() {
      return this.use(available);
    },
    /** Backend options for a worker pool's workers on side `enabled` (workers register native themselves). */
    workerBackend(enabled) {
      return { native: enabled && available };
    },
  };
}

/**
 * The timeInterleaved entries that time `run` on wasm alone, then (when native is available) on wasm + native, each
 * switching the kernels untimed before it runs. Their results go to {@link nativeFields} in the same order.
 */
export function nativeEntries(native, run) {
  return [prepared(() => native.use(false), run), ...(native.available ? [prepared(() => native.use(true), run)] : [])];
}

/**
 * The row's fields from the results of {@link nativeEntries}: `ms` is the figure in the bench's default
 * configuration (wasm + native when available, as a user's run gets it), the one the reference and PyTorch ratios
 * use; wasmMs, nativeMs and nativeSpeedup (wasm ÷ native), or nativeError saying why there is no native figure.
 */
export function nativeFields(native, [wasm, withNative]) {
  const wasmMs = wasm.medianMs;
  if (!native.available) return { ms: wasmMs, wasmMs, nativeError: native.reason };
  const nativeMs = withNative.medianMs;
  return { ms: nativeMs, wasmMs, nativeMs, nativeSpeedup: wasmMs / nativeMs };
}

/**
 * The native fields of a row timed in the default configuration only (W3 in one thread: 3 runs of ~9 s each): its
 * ms is wasm + native's when native is on, wasm's otherwise; no speed-up.
 */
export function defaultConfigurationFields(native, ms) {
  return native.available ? { ms, nativeMs: ms } : { ms, wasmMs: ms, nativeError: native.reason };
}

/** Column names of the native part of the bregman table. */
export const NATIVE_COLUMNS = ['wasm ms', 'wasm + native ms', 'native speed-up'];

/** The table cells of a row's native fields (blank where the row has no figure). */
export function nativeCells(row) {
  const ms = (v) => (v === undefined ? '' : v.toFixed(1));
  if (row.nativeError !== undefined)
    return { 'wasm ms': ms(row.wasmMs), 'wasm + native ms': row.nativeError, 'native speed-up': '' };
  return {
    'wasm ms': ms(row.wasmMs),
    'wasm + native ms': ms(row.nativeMs),
    'native speed-up': row.nativeSpeedup === undefined ? '' : `${row.nativeSpeedup.toFixed(2)}×`,
  };
}
