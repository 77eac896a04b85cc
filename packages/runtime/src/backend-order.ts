import { RuntimeError } from './runtime-error';

/**
 * The tfjs backends the project knows. `tensorflow` is tfjs-node's native backend (Node only); `webgpu` and `webgl`
 * run on the GPU of a browser; `wasm` and `cpu` run everywhere.
 */
export const BACKEND_NAMES = ['tensorflow', 'webgpu', 'webgl', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

/** Where the program runs: it decides which backends are worth trying by default. */
export type Platform = 'node' | 'browser';

/** The default order on each platform, fastest first: a browser has no tfjs-node, Node has no WebGPU or WebGL. */
export const DEFAULT_BACKEND_ORDER: Readonly<Record<Platform, readonly BackendName[]>> = {
  node: ['tensorflow', 'wasm', 'cpu'],
  browser: ['webgpu', 'webgl', 'wasm', 'cpu'],
};

/** `'browser'` in a page or a web worker, else `'node'`. */
export function detectPlatform(): Platform {
  const g = globalThis as { document?: unknown; importScripts?: unknown; process?: { versions?: { node?: string } } };
  if (g.process?.versions?.node) return 'node';
  return g.document !== undefined || typeof g.importScripts === 'function' ? 'browser' : 'node';
}

export function isBackendName(value: unknown): value is BackendName {
  return typeof value === 'string' && (BACKEND_NAMES as readonly string[]).includes(value);
}

export interface BackendPlan {
  /** Backends to try, in order. */
  readonly order: readonly BackendName[];
  /** True when exactly one backend was demanded (environment or `force`): failing to load it is an error. */
  readonly forced: boolean;
  /** Where the decision came from, for the log line. */
  readonly source: 'BREGMAN_BACKEND' | 'force' | 'prefer' | 'default';
}

/**
 * Decides which backends to try. `BREGMAN_BACKEND` (the user's override) beats `force` (the program's demand),
 * which beats `prefer` (tried first, the others after it), which beats the platform's default order: in Node
 * tensorflow → wasm → cpu, in a browser webgpu → webgl → wasm → cpu.
 *
 * ```ts
 * planBackends({ platform: 'browser', prefer: 'wasm' }).order; // ['wasm', 'webgpu', 'webgl', 'cpu']
 * ```
 */
export function planBackends(options: {
  envValue?: string | undefined;
  force?: BackendName | undefined;
  prefer?: BackendName | readonly BackendName[] | undefined;
  /** Default `'node'`. */
  platform?: Platform | undefined;
}): BackendPlan {
  const defaults = DEFAULT_BACKEND_ORDER[options.platform ?? 'node'];
  const env = options.envValue?.trim();
  if (env) {
    if (!isBackendName(env)) {
      throw new RuntimeError(
        'initBackend',
        'INVALID_ARGUMENT',
        `expected BREGMAN_BACKEND to be one of ${BACKEND_NAMES.join(', ')}, got ${JSON.stringify(env)}`,
      );
    }
    return { order: [env], forced: true, source: 'BREGMAN_BACKEND' };
  }
  if (options.force !== undefined) {
    if (!isBackendName(options.force)) {
      throw new RuntimeError(
        'initBackend',
        'INVALID_ARGUMENT',
        `expected force to be one of ${BACKEND_NAMES.join(', ')}, got ${JSON.stringify(options.force)}`,
      );
    }
    return { order: [options.force], forced: true, source: 'force' };
  }
  if (options.prefer !== undefined) {
    const preferred = typeof options.prefer === 'string' ? [options.prefer] : [...options.prefer];
    for (const name of preferred) {
      if (!isBackendName(name)) {
        throw new RuntimeError(
          'initBackend',
          'INVALID_ARGUMENT',
          `expected prefer to name backends among ${BACKEND_NAMES.join(', ')}, got ${JSON.stringify(name)}`,
        );
      }
    }
    const rest = defaults.filter((name) => !preferred.includes(name));
    return { order: [...new Set(preferred), ...rest], forced: false, source: 'prefer' };
  }
  return { order: [...defaults], forced: false, source: 'default' };
}

export interface BackendAttempt {
  readonly backend: BackendName;
  /** Why this backend could not be used; absent for the one that was chosen. */
  readonly error?: string;
}

/**
 * Tries the planned backends in order with the given loaders (each imports and activates one backend, and throws
 * if it cannot) and returns the first that works, with the reasons the earlier ones failed.
 */
export async function selectBackend(
  plan: BackendPlan,
  loaders: Readonly<Partial<Record<BackendName, () => Promise<void>>>>,
): Promise<{ backend: BackendName; attempts: BackendAttempt[] }> {
  const attempts: BackendAttempt[] = [];
  for (const backend of plan.order) {
    try {
      const load = loaders[backend];
      if (!load) throw new Error(`no loader for the ${backend} backend`);
      await load();
      attempts.push({ backend });
      return { backend, attempts };
    } catch (error) {
      const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
      attempts.push({ backend, error: reason });
      if (plan.forced) {
        throw new RuntimeError(
          'initBackend',
          'UNAVAILABLE',
          `the backend ${JSON.stringify(backend)} was demanded by ${plan.source} but cannot be used here: ${reason}` +
            (backend === 'tensorflow'
              ? ' (install @tensorflow/tfjs-node on a machine that can download libtensorflow, or unset BREGMAN_BACKEND)'
              : ''),
          { cause: error },
        );
      }
    }
  }
  throw new RuntimeError(
    'initBackend',
    'UNAVAILABLE',
    `no tfjs backend could be started; tried ${attempts.map((a) => `${a.backend} (${a.error})`).join(', ')}`,
  );
}
