import { Worker } from 'node:worker_threads';
import { EmpiricalBregmanError, type ErrorCode } from '@empirical-bregman/common';
import type { IndexSearchResult, ModelManifest, Prediction } from '@empirical-bregman/model';
import { builtEntryPath } from '../built-entry';
import { CliError } from '../cli-error';
import type { ServeEngine, ServedIndexInfo } from './serve-engine';
import type { EngineReply, EngineRequest, WorkerEngineData } from './worker-messages';

/** A project error raised on the serve worker, rebuilt here with its component and code (the CLI's exit codes and the server's statuses go by code). */
export class ServeWorkerError extends EmpiricalBregmanError {}

/** A {@link ServeEngine} on a worker thread; `close()` stops the thread (call it after the server has closed). */
export interface WorkerEngine extends ServeEngine {
  close(): Promise<void>;
}

type Pending = { resolve: (reply: EngineReply) => void; reject: (error: Error) => void };

/**
 * Starts the serve worker (dist/serve-worker.js), which loads the model folder and the index folder, and resolves
 * once both are loaded; a model or index that does not load rejects with the worker's error (same code, same
 * message), and the thread is gone.
 *
 * Why a thread: a search blocks the thread it runs on (wasm kernels, usearch). On the HTTP thread it held every
 * other connection — request parsing, answers, `/health` — for its whole length; on its own thread the HTTP work of
 * the next requests overlaps the search of this one, which is most of the HTTP overhead at large batches.
 */
export async function startWorkerEngine(data: WorkerEngineData): Promise<WorkerEngine> {
  const entry = builtEntryPath('serve-worker');
  if (!entry)
    throw new CliError(
      'serve',
      'UNAVAILABLE',
      'expected the built worker dist/serve-worker.js, got none (run `pnpm build` first)',
    );
  const worker = new Worker(entry, { workerData: data });
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let gone: Error | null = null;

  const ready = new Promise<{ manifest: ModelManifest; index: ServedIndexInfo | null }>((resolve, reject) => {
    const failAll = (error: Error) => {
      gone ??= error;
      reject(error);
      for (const p of pending.values()) p.reject(error);
      pending.clear();
    };
    worker.on('error', (error) => failAll(error));
    worker.on('exit', (code) =>
      failAll(new Error(`serve: the compute thread stopped (exit code ${code}); restart the server`)),
    );
    worker.on('message', (reply: EngineReply) => {
      if (reply.kind === 'ready') resolve({ manifest: reply.manifest, index: reply.index });
      else if (reply.kind === 'failed') {
        void worker.terminate();
        failAll(errorOf(reply));
      } else {
        const p = pending.get(reply.id);
        pending.delete(reply.id);
        if (!p) return;
        if (reply.kind === 'error') p.reject(errorOf(reply));
        else p.resolve(reply);
      }
    });
  });
  const { manifest, index } = await ready;

  type Request = EngineRequest extends infer R ? (R extends EngineRequest ? Omit<R, 'id'> : never) : never;
  const ask = (request: Request, rows: Float32Array): Promise<EngineReply> => {
    if (gone) return Promise.reject(gone);
    const id = nextId++;
    // The rows are the caller's for this call only (see ServeEngine): their memory is handed over, not copied —
    // unless they are a view into a larger or shared buffer, which must neither be detached nor posted whole.
    const own =
      rows.byteOffset === 0 && rows.byteLength === rows.buffer.byteLength && rows.buffer instanceof ArrayBuffer
        ? rows
        : rows.slice();
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      worker.postMessage({ ...request, rows: own, id } as EngineRequest, [own.buffer as ArrayBuffer]);
    });
  };
  return {
    manifest,
    index,
    get alive() {
      return gone === null;
    },
    async embed(rows) {
      return ((await ask({ op: 'embed', rows }, rows)) as Extract<EngineReply, { kind: 'embed' }>).embeddings;
    },
    async search(rows, options): Promise<IndexSearchResult> {
      const reply = await ask({ op: 'search', rows, k: options.k, slot: options.slot }, rows);
      return (reply as Extract<EngineReply, { kind: 'search' }>).result;
    },
    async predict(rows, options): Promise<Prediction> {
      const reply = await ask({ op: 'predict', rows, k: options.k }, rows);
      return (reply as Extract<EngineReply, { kind: 'predict' }>).prediction;
    },
    /** Stops the thread at once: a request still running or waiting is rejected (the server closes first, so none is). */
    async close() {
      if (gone === null) gone = new Error('serve: the compute thread was closed');
      for (const p of pending.values()) p.reject(gone);
      pending.clear();
      worker.removeAllListeners('exit');
      await worker.terminate();
    },
  };
}

function errorOf(reply: { code?: string; component?: string; message: string }): Error {
  if (reply.code && reply.component !== undefined) {
    const prefix = `${reply.component}: `;
    const text = reply.message.startsWith(prefix) ? reply.message.slice(prefix.length) : reply.message;
    return new ServeWorkerError(reply.component, reply.code as ErrorCode, text);
  }
  return new Error(reply.message);
}
