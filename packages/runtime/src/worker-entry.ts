import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import { initBackend } from './init-backend';
import { isTransferableResult } from '@empirical-bregman/zero-copy';
import {
  type TaskContext,
  type TaskRequest,
  type WorkerMessage,
  type WorkerStartData,
  serializeError,
} from './worker-protocol';

// The program each pool worker runs: start its own backend, then run tasks one at a time.
async function main(): Promise<void> {
  const port = parentPort;
  if (isMainThread || !port) throw new Error('worker-entry: expected to run inside a WorkerPool worker');
  const data = workerData as WorkerStartData;
  let context: TaskContext;
  try {
    const info = await initBackend({ ...data.backend, quiet: true });
    context = { workerIndex: data.index, backend: info.backend };
    port.postMessage({ type: 'ready', backend: info.backend, info } satisfies WorkerMessage);
  } catch (error) {
    port.postMessage({ type: 'start-failed', error: serializeError(error) } satisfies WorkerMessage);
    return;
  }
  const modules = new Map<string, Promise<Record<string, unknown>>>();
  port.on('message', async (request: TaskRequest) => {
    try {
      const url = request.module.startsWith('file:') ? request.module : pathToFileURL(request.module).href;
      let loading = modules.get(url);
      if (!loading) {
        loading = import(url) as Promise<Record<string, unknown>>;
        modules.set(url, loading);
      }
      const mod = await loading;
      const fn = mod[request.fn];
      if (typeof fn !== 'function') {
        throw new Error(`WorkerPool: expected ${request.module} to export a function ${request.fn}, got ${typeof fn}`);
      }
      const out = await (fn as (payload: unknown, context: TaskContext) => unknown)(request.payload, context);
      if (isTransferableResult(out)) {
        port.postMessage({ type: 'result', id: request.id, value: out.value } satisfies WorkerMessage, out.transfer);
      } else {
        port.postMessage({ type: 'result', id: request.id, value: out } satisfies WorkerMessage);
      }
    } catch (error) {
      port.postMessage({ type: 'error', id: request.id, error: serializeError(error) } satisfies WorkerMessage);
    }
  });
}

void main();
