import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { findBuiltFile } from '@empirical-bregman/node-io';
import type { BackendInfo, InitBackendOptions } from './init-backend';
import { RuntimeError } from './runtime-error';
import type { SerializedError, TaskRequest, WorkerMessage, WorkerStartData } from './worker-protocol';

export interface WorkerPoolOptions {
  /** Number of workers (default: the machine's available parallelism). */
  size?: number;
  /** Backend options for every worker (each worker starts its own backend with `initBackend`). */
  backend?: Pick<InitBackendOptions, 'prefer' | 'force' | 'patchWasm' | 'native'>;
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  workerIndex: number;
  module: string;
  fn: string;
}

interface Slot {
  worker: Worker;
  backend: string;
  info: BackendInfo;
  busy: boolean;
}

/** The compiled worker program; from sources (tests), the package's build output. */
function workerEntryPath(): string {
  const path = findBuiltFile(import.meta.url, ['./worker-entry.js', '../dist/worker-entry.js']);
  if (path !== null) return path;
  throw new RuntimeError(
    'WorkerPool',
    'NOT_FOUND',
    'expected the built worker program dist/worker-entry.js, got none (run `pnpm build` first)',
  );
}

function toError(error: SerializedError, module: string, fn: string): Error {
  const out = new RuntimeError('WorkerPool', 'INVALID_ARGUMENT', `task ${fn} of ${module} failed: ${error.message}`);
  // Keep the task's own code (e.g. INVALID_SHAPE) so callers can branch on it as if the task ran here.
  if (error.code) Object.defineProperty(out, 'code', { value: error.code });
  if (error.stack) out.stack = `${out.message}\n--- in worker ---\n${error.stack}`;
  return out;
}

/**
 * A small pool of `worker_threads`, each with its own initialised tfjs backend (tfjs-wasm runs one thread per
 * process in Node, so the second core is only reached through a second worker). Applications create it and hand it
 * to libraries (blockwise evaluation, data-parallel training); libraries ship their task functions as ES modules.
 *
 * ```ts
 * const pool = await WorkerPool.create({ size: 2 });
 * const parts = await Promise.all(blocks.map((b) => pool.run(taskUrl, 'scoreBlock', b)));
 * await pool.close();
 * ```
 */
export class WorkerPool {
  private readonly slots: Slot[];
  private readonly queue: Array<{
    request: Omit<TaskRequest, 'id'>;
    transfer: ArrayBuffer[];
    pending: Pick<Pending, 'resolve' | 'reject'>;
    pin?: number;
  }> = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;

  private constructor(slots: Slot[]) {
    this.slots = slots;
    for (const [index, slot] of slots.entries()) this.listen(slot, index);
  }

  /** Starts `size` workers and waits until each has its backend running. */
  static async create(options: WorkerPoolOptions = {}): Promise<WorkerPool> {
    const size = options.size ?? availableParallelism();
    if (!Number.isInteger(size) || size < 1) {
      throw new RuntimeError(
        'WorkerPool.create',
        'INVALID_ARGUMENT',
        `expected size to be a positive integer, got ${size}`,
      );
    }
    const entry = workerEntryPath();
    const starts = Array.from({ length: size }, (_, index) =>
      startWorker(entry, { backend: options.backend ?? {}, index }),
    );
    const settled = await Promise.allSettled(starts);
    const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) {
      await Promise.all(settled.map((s) => (s.status === 'fulfilled' ? s.value.worker.terminate() : undefined)));
      throw failed.reason;
    }
    return new WorkerPool(settled.map((s) => (s as PromiseFulfilledResult<Slot>).value));
  }

  /** Number of workers. */
  get size(): number {
    return this.slots.length;
  }

  /** The backend each worker runs. */
  get backends(): string[] {
    return this.slots.map((s) => s.backend);
  }

  /** What each worker's `initBackend` started (e.g. whether its native BLAS kernels are on): record it with results. */
  get backendInfo(): BackendInfo[] {
    return this.slots.map((s) => s.info);
  }

  /**
   * Runs `fn` exported by the ES module at `module` (a file URL or absolute path) on the next free worker.
   * `transfer` lists ArrayBuffers of the payload to move instead of copy.
   */
  run<T>(module: string, fn: string, payload: unknown, transfer: ArrayBuffer[] = []): Promise<T> {
    return this.enqueue<T>({ module, fn, payload }, transfer);
  }

  /** Like `run`, on one given worker (data-parallel replicas keep their state on their own worker). */
  runOn<T>(
    workerIndex: number,
    module: string,
    fn: string,
    payload: unknown,
    transfer: ArrayBuffer[] = [],
  ): Promise<T> {
    if (!Number.isInteger(workerIndex) || workerIndex < 0 || workerIndex >= this.slots.length) {
      return Promise.reject(
        new RuntimeError(
          'WorkerPool.runOn',
          'INVALID_ARGUMENT',
          `expected a worker index in [0, ${this.slots.length}), got ${workerIndex}`,
        ),
      );
    }
    return this.enqueue<T>({ module, fn, payload }, transfer, workerIndex);
  }

  /** Terminates every worker; tasks still queued or running are rejected. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const error = new RuntimeError('WorkerPool', 'UNAVAILABLE', 'the pool was closed before the task finished');
    for (const q of this.queue.splice(0)) q.pending.reject(error);
    for (const p of this.pending.values()) p.reject(error);
    this.pending.clear();
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private enqueue<T>(request: Omit<TaskRequest, 'id'>, transfer: ArrayBuffer[], pin?: number): Promise<T> {
    if (this.closed) {
      return Promise.reject(
        new RuntimeError('WorkerPool.run', 'UNAVAILABLE', 'expected an open pool, got a closed one'),
      );
    }
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ request, transfer, pending: { resolve: resolve as (v: unknown) => void, reject }, pin });
      this.dispatch();
    });
  }

  private dispatch(): void {
    for (let q = 0; q < this.queue.length; q++) {
      const item = this.queue[q]!;
      const index = item.pin ?? this.slots.findIndex((s) => !s.busy);
      if (index < 0 || this.slots[index]!.busy) continue;
      this.queue.splice(q, 1);
      q--;
      const slot = this.slots[index]!;
      slot.busy = true;
      const id = this.nextId++;
      this.pending.set(id, { ...item.pending, workerIndex: index, module: item.request.module, fn: item.request.fn });
      slot.worker.postMessage({ id, ...item.request } satisfies TaskRequest, item.transfer);
    }
  }

  private listen(slot: Slot, index: number): void {
    slot.worker.on('message', (message: WorkerMessage) => {
      if (message.type !== 'result' && message.type !== 'error') return;
      const pending = this.pending.get(message.id);
      if (!pending) return;
      this.pending.delete(message.id);
      slot.busy = false;
      if (message.type === 'result') pending.resolve(message.value);
      else pending.reject(toError(message.error, pending.module, pending.fn));
      this.dispatch();
    });
    slot.worker.on('exit', (code) => {
      if (this.closed) return;
      // A worker that dies takes its running task with it: fail that task loudly rather than hang.
      for (const [id, p] of this.pending) {
        if (p.workerIndex !== index) continue;
        this.pending.delete(id);
        p.reject(
          new RuntimeError(
            'WorkerPool',
            'UNAVAILABLE',
            `worker ${index} exited with code ${code} while running a task`,
          ),
        );
      }
      this.closed = true;
      for (const q of this.queue.splice(0)) {
        q.pending.reject(
          new RuntimeError('WorkerPool', 'UNAVAILABLE', `worker ${index} exited with code ${code}; the pool is closed`),
        );
      }
      for (const other of this.slots) if (other !== slot) void other.worker.terminate();
    });
  }
}

function startWorker(entry: string, data: WorkerStartData): Promise<Slot> {
  return new Promise<Slot>((resolve, reject) => {
    // Workers inherit the parent's Node flags; those that only make sense for an inline main script
    // (`node --input-type=module -e …`) make a worker fail to start, so drop them.
    const execArgv = process.execArgv.filter((a) => !/^--input-type/.test(a));
    const worker = new Worker(entry, { workerData: data, execArgv });
    const onMessage = (message: WorkerMessage) => {
      if (message.type === 'ready') {
        cleanup();
        resolve({ worker, backend: message.backend, info: message.info, busy: false });
      } else if (message.type === 'start-failed') {
        cleanup();
        void worker.terminate();
        reject(
          new RuntimeError(
            'WorkerPool.create',
            'UNAVAILABLE',
            `worker ${data.index} could not start its backend: ${message.error.message}`,
          ),
        );
      }
    };
    const onError = (error: Error) => {
      cleanup();
      reject(
        new RuntimeError('WorkerPool.create', 'UNAVAILABLE', `worker ${data.index} failed to start: ${error.message}`, {
          cause: error,
        }),
      );
    };
    const cleanup = () => {
      worker.off('message', onMessage);
      worker.off('error', onError);
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
  });
}
