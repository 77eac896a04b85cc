import { RuntimeError } from './runtime-error';

/** The tfjs backends the project knows, fastest first. `tensorflow` is tfjs-node's native backend. */
export const BACKEND_NAMES = ['tensorflow', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

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
 * which beats `prefer` (tried first, the others after it), which beats the default order tensorflow → wasm → cpu.
 */
export function planBackends(options: {
  envValue?: string | undefined;
  force?: BackendName | undefined;
  prefer?: BackendName | readonly BackendName[] | undefined;
}): BackendPlan {
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
    const rest = BACKEND_NAMES.filter((name) => !preferred.includes(name));
    return { order: [...new Set(preferred), ...rest], forced: false, source: 'prefer' };
  }
  return { order: [...BACKEND_NAMES], forced: false, source: 'default' };
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
  loaders: Readonly<Record<BackendName, () => Promise<void>>>,
): Promise<{ backend: BackendName; attempts: BackendAttempt[] }> {
  const attempts: BackendAttempt[] = [];
  for (const backend of plan.order) {
    try {
      await loaders[backend]();
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
