import type { BackendInfo, InitBackendOptions } from './init-backend';

/** Sent to a worker as `workerData`. */
export interface WorkerStartData {
  readonly backend: Pick<InitBackendOptions, 'prefer' | 'force' | 'patchWasm' | 'native'>;
  readonly index: number;
}

export interface TaskRequest {
  readonly id: number;
  /** URL or absolute path of an ES module that exports the task function. */
  readonly module: string;
  /** Name of the exported function: `(payload, context) => result | Promise<result>`. */
  readonly fn: string;
  readonly payload: unknown;
}

export interface SerializedError {
  readonly name: string;
  readonly message: string;
  readonly code?: string;
  readonly stack?: string;
}

export type WorkerMessage =
  | { readonly type: 'ready'; readonly backend: string; readonly info: BackendInfo }
  | { readonly type: 'start-failed'; readonly error: SerializedError }
  | { readonly type: 'result'; readonly id: number; readonly value: unknown }
  | { readonly type: 'error'; readonly id: number; readonly error: SerializedError };

/** What a task function receives besides its payload. */
export interface TaskContext {
  /** Index of the worker (0-based) running the task. */
  readonly workerIndex: number;
  /** The backend this worker runs. */
  readonly backend: string;
}

export function serializeError(error: unknown): SerializedError {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return {
      name: error.name,
      message: error.message,
      code: typeof code === 'string' ? code : undefined,
      stack: error.stack,
    };
  }
  return { name: 'Error', message: String(error) };
}
