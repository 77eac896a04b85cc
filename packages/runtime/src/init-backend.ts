import * as tf from '@tensorflow/tfjs-core';
import {
  type BackendAttempt,
  type BackendName,
  type BackendPlan,
  detectPlatform,
  type Platform,
  planBackends,
  selectBackend,
} from './backend-order';
import { ensureGradientsRegistered } from './gradients';
import { applyNativeKernels, type NativeKernelsInfo } from './native-kernels/native-kernels';
import { RuntimeError } from './runtime-error';
import { type SmokeTestResult, trainingSmokeTest } from './training-smoke-test';
import { setWasmTrainingKernels } from './wasm-kernels/wasm-training-kernels';

export interface InitBackendOptions {
  /** Backends to try first, in order; the others follow in the platform's default order. */
  prefer?: BackendName | readonly BackendName[];
  /** Demand exactly this backend; failing to start it is an error. `BREGMAN_BACKEND` still overrides it. */
  force?: BackendName;
  /** Replace the wasm kernels that training needs (default true). The perf benchmark turns it off to compare. */
  patchWasm?: boolean;
  /**
   * On wasm in Node, run products and convolutions on OpenBLAS (`setNativeKernels`) when the optional addon
   * `@empirical-bregman/native-blas` is built (default true). `BREGMAN_NATIVE=0` turns them off whatever this says.
   */
  native?: boolean;
  /**
   * Before settling on a backend, train one step of a tiny model on it (`trainingSmokeTest`, or the function given)
   * and fall back to the next backend, with the reason, if that throws (a missing kernel, a non-finite value).
   * Default: on in a browser, where GPU drivers differ; off in Node, whose backends the test suite covers.
   */
  smokeTest?: boolean | (() => Promise<SmokeTestResult>);
  /** Where a browser finds tfjs-backend-wasm's `.wasm` files (a URL prefix ending in `/`); unused in Node. */
  wasmPaths?: string;
  /** `'node'` or `'browser'` (default: detected): which backends are tried by default. */
  platform?: Platform;
  /** Do not log the chosen backend. */
  quiet?: boolean;
  /** Where the one log line goes (default: standard error in Node, `console.info` in a browser). */
  log?: (line: string) => void;
  /** Environment to read `BREGMAN_BACKEND` and `BREGMAN_NATIVE` from (default `process.env`; none in a browser). */
  env?: Readonly<Record<string, string | undefined>>;
}

/** What `initBackend` started: record it with every result. */
export interface BackendInfo {
  readonly backend: BackendName;
  readonly tfjsVersion: string;
  /** Where it runs; decides the default order. */
  readonly platform: Platform;
  /** Where the choice came from: the environment variable, `force`, `prefer` or the default order. */
  readonly source: BackendPlan['source'];
  /** wasm only: SIMD in use; `null` on other backends. */
  readonly simd: boolean | null;
  /** wasm only: threads in use (1 in Node); `null` on other backends. */
  readonly threads: number | null;
  /** Kernels replaced by this package on the running backend. */
  readonly patchedKernels: readonly string[];
  /** wasm in Node: whether the native BLAS kernels are on, on what, or why not; `null` elsewhere. */
  readonly native: NativeKernelsInfo | null;
  /** The training step the chosen backend passed before it was settled on; `null` when none was run. */
  readonly smokeTest: SmokeTestResult | null;
  /** Each backend tried, with the reason for each that failed (smoke-test failures included). */
  readonly attempts: readonly BackendAttempt[];
}

// A variable, not a literal, so bundlers and TypeScript do not require the optional package to exist.
const TFJS_NODE = '@tensorflow/tfjs-node';

async function activate(name: BackendName): Promise<void> {
  if (!(await tf.setBackend(name))) throw new Error(`tf.setBackend('${name}') failed to initialise`);
}

/** The GPU backends exist only in browsers; say so, and why a browser lacks them, before tfjs tries. */
async function checkGpu(name: 'webgpu' | 'webgl', platform: Platform): Promise<void> {
  if (platform !== 'browser') throw new Error(`${name} runs only in a browser`);
  if (name === 'webgpu') {
    const gpu = (globalThis as { navigator?: { gpu?: { requestAdapter(): Promise<unknown> } } }).navigator?.gpu;
    if (!gpu) throw new Error('navigator.gpu is absent: this browser offers no WebGPU (needs a secure context)');
    if (!(await gpu.requestAdapter())) throw new Error('navigator.gpu.requestAdapter() found no adapter');
    return;
  }
  type Canvas = { getContext(kind: string): unknown };
  const g = globalThis as {
    OffscreenCanvas?: new (width: number, height: number) => Canvas;
    document?: { createElement(tag: string): Canvas };
  };
  const canvas = g.OffscreenCanvas ? new g.OffscreenCanvas(1, 1) : g.document?.createElement('canvas');
  const context = canvas?.getContext('webgl2') ?? canvas?.getContext('webgl');
  if (!context) throw new Error('no WebGL context could be created (GPU or WebGL disabled)');
}

function loadersFor(options: InitBackendOptions, platform: Platform): Record<BackendName, () => Promise<void>> {
  return {
    tensorflow: async () => {
      await import(TFJS_NODE);
      await activate('tensorflow');
    },
    webgpu: async () => {
      await checkGpu('webgpu', platform);
      await import('@tensorflow/tfjs-backend-webgpu');
      await activate('webgpu');
    },
    webgl: async () => {
      await checkGpu('webgl', platform);
      await import('@tensorflow/tfjs-backend-webgl');
      await activate('webgl');
    },
    wasm: async () => {
      const wasm = await import('@tensorflow/tfjs-backend-wasm');
      if (options.wasmPaths !== undefined) wasm.setWasmPaths(options.wasmPaths);
      await activate('wasm');
    },
    cpu: async () => {
      await import('@tensorflow/tfjs-backend-cpu');
      await activate('cpu');
    },
  };
}

let current: { key: string; info: Promise<BackendInfo> } | undefined;

/**
 * Starts the fastest tfjs backend available here and returns what it chose and why. In Node: tfjs-node's native
 * `tensorflow` backend when `@tensorflow/tfjs-node` is installed and its addon loads, else `wasm` (SIMD, one thread),
 * else `cpu`. In a browser: `webgpu`, else `webgl`, else `wasm`, else `cpu`, each smoke-tested with one training step
 * before it is kept (see `smokeTest`). `BREGMAN_BACKEND=<name>` (Node) forces one. It also registers every gradient
 * the project differentiates and, on wasm, the kernels that training needs (see `setWasmTrainingKernels`); on wasm
 * in Node, also the native BLAS kernels when the optional addon is built (see `setNativeKernels`; `BREGMAN_NATIVE=0`
 * turns them off). Idempotent for equal options.
 *
 * Only applications and test setups call this: libraries never choose a backend.
 *
 * ```ts
 * const info = await initBackend();       // logs "empirical-bregman: tfjs backend wasm + native BLAS (…)"
 * results.backend = info.backend;
 * // In a page: await initBackend({ wasmPaths: '/tfjs-wasm/' }) → webgpu, webgl, wasm or cpu
 * ```
 */
export function initBackend(options: InitBackendOptions = {}): Promise<BackendInfo> {
  const env = options.env ?? (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  const platform = options.platform ?? detectPlatform();
  const plan = planBackends({ envValue: env?.BREGMAN_BACKEND, force: options.force, prefer: options.prefer, platform });
  const native = nativeChoice(options.native, env?.BREGMAN_NATIVE);
  const smoke = options.smokeTest ?? platform === 'browser';
  // A custom smoke test is a function: not comparable, so such a call always starts afresh.
  const key =
    typeof smoke === 'function'
      ? undefined
      : JSON.stringify([plan, options.patchWasm ?? true, native, smoke, platform]);
  if (key !== undefined && current?.key === key) return current.info;
  const info = start(plan, platform, native, options);
  current = key === undefined ? undefined : { key, info };
  info.catch(() => {
    if (current?.info === info) current = undefined;
  });
  return info;
}

/** Native kernels wanted (`off` null), or the reason they are not. Validates `BREGMAN_NATIVE` before any work. */
function nativeChoice(option: boolean | undefined, envValue: string | undefined): { off: string | null } {
  if (envValue !== undefined && envValue !== '' && envValue !== '0' && envValue !== '1') {
    throw new RuntimeError(
      'initBackend',
      'INVALID_ARGUMENT',
      `expected BREGMAN_NATIVE to be 0 or 1, got "${envValue}"`,
    );
  }
  if (envValue === '0') return { off: 'disabled by BREGMAN_NATIVE=0' };
  if (option === false) return { off: 'disabled by initBackend({ native: false })' };
  return { off: null };
}

async function start(
  plan: BackendPlan,
  platform: Platform,
  nativeWanted: { off: string | null },
  options: InitBackendOptions,
): Promise<BackendInfo> {
  await ensureGradientsRegistered();
  const smoke = options.smokeTest ?? platform === 'browser';
  const runSmokeTest = typeof smoke === 'function' ? smoke : smoke ? trainingSmokeTest : undefined;
  const loaders = loadersFor(options, platform);
  let patchedKernels: string[] = [];
  let native: NativeKernelsInfo | null = null;
  let smokeTest: SmokeTestResult | null = null;
  // Each loader starts its backend, patches it for training as the Node path does, then (if asked) trains one step
  // on it: a failure there is a reason to fall back like a backend that does not load at all.
  const tested = Object.fromEntries(
    (Object.keys(loaders) as BackendName[]).map((name) => [
      name,
      async () => {
        await loaders[name]();
        patchedKernels = name === 'wasm' ? setWasmTrainingKernels(options.patchWasm ?? true) : [];
        native =
          name === 'wasm' && platform === 'node'
            ? await applyNativeKernels(nativeWanted.off === null, nativeWanted.off ?? '')
            : null;
        if (!runSmokeTest) return;
        try {
          smokeTest = await runSmokeTest();
        } catch (error) {
          const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
          throw new Error(`training smoke test failed: ${reason}`, { cause: error });
        }
      },
    ]),
  ) as Record<BackendName, () => Promise<void>>;
  const { backend, attempts } = await selectBackend(plan, tested);
  let simd: boolean | null = null;
  let threads: number | null = null;
  if (backend === 'wasm') {
    simd = Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
    // Threads need a cross-origin-isolated page in a browser; in Node tfjs-wasm runs on one thread.
    threads = (await import('@tensorflow/tfjs-backend-wasm')).getThreadsCount();
  }
  const info: BackendInfo = {
    backend,
    tfjsVersion: tf.version_core,
    platform,
    source: plan.source,
    simd,
    threads,
    patchedKernels,
    native,
    smokeTest,
    attempts,
  };
  if (!options.quiet) (options.log ?? defaultLog(platform))(describeBackend(info));
  return info;
}

function defaultLog(platform: Platform): (line: string) => void {
  const stderr = (globalThis as { process?: { stderr?: { write(text: string): unknown } } }).process?.stderr;
  if (platform === 'node' && stderr) return (line) => stderr.write(`${line}\n`);
  return (line) => console.info(line);
}

/**
 * One line for logs and reports: the backend, how it was chosen, whether the native BLAS kernels run (and why not)
 * and why faster backends were not used, e.g. "empirical-bregman: tfjs backend wasm + native BLAS (tfjs 4.22.0;
 * chosen by default; SIMD; 1 thread; training kernels patched; OpenBLAS 0.3.21, 2 threads, Haswell)".
 */
export function describeBackend(info: BackendInfo): string {
  const details: string[] = [`tfjs ${info.tfjsVersion}`, `chosen by ${info.source}`];
  const plural = (n: number | null) => `${n} thread${n === 1 ? '' : 's'}`;
  if (info.backend === 'wasm') {
    details.push(info.simd ? 'SIMD' : 'no SIMD', plural(info.threads));
    if (info.patchedKernels.length > 0) details.push('training kernels patched');
  }
  // `native` is absent from BackendInfo objects saved before it existed.
  const native = info.native ?? null;
  if (native?.enabled) details.push(`${native.library}, ${plural(native.threads)}, ${native.core}`);
  else if (native) details.push(`native BLAS off: ${native.reason}`);
  if (info.smokeTest) details.push(`one training step passed in ${info.smokeTest.ms.toFixed(0)} ms`);
  for (const a of info.attempts) if (a.error) details.push(`${a.backend} unavailable: ${a.error.slice(0, 160)}`);
  const backend = native?.enabled ? `${info.backend} + native BLAS` : info.backend;
  return `empirical-bregman: tfjs backend ${backend} (${details.join('; ')})`;
}
