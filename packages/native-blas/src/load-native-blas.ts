import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { isMainThread } from 'node:worker_threads';
import type { NativeBlasAddon } from './native-blas-addon';

/** The addon loaded: its functions and what it runs on. */
export interface NativeBlasLoaded {
  readonly ok: true;
  readonly blas: NativeBlasAddon;
  /** e.g. "OpenBLAS 0.3.21". */
  readonly library: string;
  /** OpenBLAS's code path on this CPU, e.g. "Haswell". */
  readonly core: string;
}

/** Why the addon is not available, with how to build it (one line). */
export interface NativeBlasUnavailable {
  readonly ok: false;
  readonly reason: string;
}

// From dist/index.js (or src/load-native-blas.ts in the tests) the package's own folder is one level up.
const packageDir = fileURLToPath(new URL('..', import.meta.url));
const addonPath = fileURLToPath(new URL('../build/native_blas.node', import.meta.url));
const buildScript = fileURLToPath(new URL('../scripts/build-addon.mjs', import.meta.url));

/** The one command that builds the addon, for messages. */
export const NATIVE_BLAS_BUILD_HINT = `apt-get install gcc libopenblas-dev, then node ${buildScript}`;

let loaded: NativeBlasLoaded | NativeBlasUnavailable | undefined;

/**
 * OpenBLAS threads for a thread of this process that loads the addon first: 2 (at most the machine's cores) on the
 * main thread, 1 in a worker thread. The count is process-wide: data-parallel replicas run one per worker on the
 * cores already, and more BLAS threads would only contend for them, so each worker's load sets 1.
 */
export function defaultNativeBlasThreads(): number {
  return isMainThread ? Math.min(2, availableParallelism()) : 1;
}

/**
 * Loads the addon (`build/native_blas.node`, built at install time by `scripts/build-addon.mjs`), once per thread,
 * and on that first load sets OpenBLAS's thread count to `defaultNativeBlasThreads()`. Never throws: when the addon
 * is missing or does not load it returns the reason and the command that builds it.
 *
 * ```ts
 * const native = loadNativeBlas();
 * if (native.ok) native.blas.gemmBatch(heap, offsets, m, n, k, false, false);
 * else console.error(native.reason); // "addon not built (…): apt-get install gcc libopenblas-dev, then node …"
 * ```
 */
export function loadNativeBlas(): NativeBlasLoaded | NativeBlasUnavailable {
  loaded ??= load();
  return loaded;
}

function load(): NativeBlasLoaded | NativeBlasUnavailable {
  if (!existsSync(addonPath)) {
    return { ok: false, reason: `addon not built (no ${addonPath}): ${NATIVE_BLAS_BUILD_HINT}` };
  }
  try {
    const blas = createRequire(packageDir)(addonPath) as NativeBlasAddon;
    blas.setThreads(defaultNativeBlasThreads());
    const library = /^OpenBLAS \S+/.exec(blas.config())?.[0] ?? blas.config().split(' ')[0]!;
    return { ok: true, blas, library, core: blas.corename() };
  } catch (error) {
    const message = (error instanceof Error ? error.message : String(error)).split('\n')[0]!.slice(0, 200);
    return { ok: false, reason: `addon does not load (${message}): rebuild it with node ${buildScript}` };
  }
}
