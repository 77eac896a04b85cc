import * as tf from '@tensorflow/tfjs-core';
import { type BackendAttempt, type BackendName, type BackendPlan, planBackends, selectBackend } from './backend-order';
import { ensureGradientsRegistered } from './gradients';
import { setWasmTrainingKernels } from './wasm-kernels/wasm-training-kernels';

export interface InitBackendOptions {
  /** Backends to try first, in order; the others follow in the default order. */
  prefer?: BackendName | readonly BackendName[];
  /** Demand exactly this backend; failing to start it is an error. `BREGMAN_BACKEND` still overrides it. */
  force?: BackendName;
  /** Replace the wasm kernels that training needs (default true). The perf benchmark turns it off to compare. */
  patchWasm?: boolean;
  /** Do not log the chosen backend. */
  quiet?: boolean;
  /** Where the one log line goes (default: standard error). */
  log?: (line: string) => void;
  /** Environment to read `BREGMAN_BACKEND` from (default `process.env`). */
  env?: Readonly<Record<string, string | undefined>>;
}

/** What `initBackend` started: record it with every result. */
export interface BackendInfo {
  readonly backend: BackendName;
  readonly tfjsVersion: string;
  /** Where the choice came from: the environment variable, `force`, `prefer` or the default order. */
  readonly source: BackendPlan['source'];
  /** wasm only: SIMD in use; `null` on other backends. */
  readonly simd: boolean | null;
  /** wasm only: threads in use (1 in Node); `null` on other backends. */
  readonly threads: number | null;
  /** Kernels replaced by this package on the running backend. */
  readonly patchedKernels: readonly string[];
  /** Each backend tried, with the reason for each that failed. */
  readonly attempts: readonly BackendAttempt[];
}

// A variable, not a literal, so bundlers and TypeScript do not require the optional package to exist.
const TFJS_NODE = '@tensorflow/tfjs-node';

async function activate(name: BackendName): Promise<void> {
  if (!(await tf.setBackend(name))) throw new Error(`tf.setBackend('${name}') failed to initialise`);
}

const loaders: Record<BackendName, () => Promise<void>> = {
  tensorflow: async () => {
    await import(TFJS_NODE);
    await activate('tensorflow');
  },
  wasm: async () => {
    await import('@tensorflow/tfjs-backend-wasm');
    await activate('wasm');
  },
  cpu: async () => {
    await import('@tensorflow/tfjs-backend-cpu');
    await activate('cpu');
  },
};

let current: { key: string; info: Promise<BackendInfo> } | undefined;

/**
 * Starts the fastest tfjs backend available here: tfjs-node's native `tensorflow` backend when
 * `@tensorflow/tfjs-node` is installed and its addon loads, else `wasm` (SIMD, one thread in Node), else `cpu`.
 * `BREGMAN_BACKEND=tensorflow|wasm|cpu` forces one. It also registers every gradient the project differentiates
 * and, on wasm, the kernels that training needs (see `setWasmTrainingKernels`). Idempotent for equal options.
 *
 * Only applications and test setups call this: libraries never choose a backend.
 *
 * ```ts
 * const info = await initBackend();       // logs "empirical-bregman: tfjs backend wasm (…)"
 * results.backend = info.backend;
 * ```
 */
export function initBackend(options: InitBackendOptions = {}): Promise<BackendInfo> {
  const env = options.env ?? process.env;
  const plan = planBackends({ envValue: env.BREGMAN_BACKEND, force: options.force, prefer: options.prefer });
  const key = JSON.stringify([plan, options.patchWasm ?? true]);
  if (current?.key === key) return current.info;
  const info = start(plan, options);
  current = { key, info };
  info.catch(() => {
    if (current?.info === info) current = undefined;
  });
  return info;
}

async function start(plan: BackendPlan, options: InitBackendOptions): Promise<BackendInfo> {
  await ensureGradientsRegistered();
  const { backend, attempts } = await selectBackend(plan, loaders);
  let patchedKernels: string[] = [];
  let simd: boolean | null = null;
  let threads: number | null = null;
  if (backend === 'wasm') {
    patchedKernels = setWasmTrainingKernels(options.patchWasm ?? true);
    simd = Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
    threads = (await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')) ? 2 : 1;
  }
  const info: BackendInfo = {
    backend,
    tfjsVersion: tf.version_core,
    source: plan.source,
    simd,
    threads,
    patchedKernels,
    attempts,
  };
  if (!options.quiet) (options.log ?? ((line: string) => process.stderr.write(`${line}\n`)))(describeBackend(info));
  return info;
}

/** One line for logs: the backend, how it was chosen and why faster ones were not used. */
export function describeBackend(info: BackendInfo): string {
  const details: string[] = [`tfjs ${info.tfjsVersion}`, `chosen by ${info.source}`];
  if (info.backend === 'wasm') {
    details.push(info.simd ? 'SIMD' : 'no SIMD', `${info.threads} thread${info.threads === 1 ? '' : 's'}`);
    if (info.patchedKernels.length > 0) details.push('training kernels patched');
  }
  for (const a of info.attempts) if (a.error) details.push(`${a.backend} unavailable: ${a.error.slice(0, 120)}`);
  return `empirical-bregman: tfjs backend ${info.backend} (${details.join('; ')})`;
}
