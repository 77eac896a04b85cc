// The compute thread of `bregman serve` (built to dist/serve-worker.js; started by `startWorkerEngine`): loads the
// model and the index once, then answers one request at a time from the HTTP thread. Results go back as transferred
// typed arrays (no copy); an error goes back as its code and one-line message.
import { parentPort, workerData } from 'node:worker_threads';
import { isEmpiricalBregmanError } from '@empirical-bregman/common';
import type { BregmanModel, BregmanModelIndex } from '@empirical-bregman/model';
import { directorySource, loadModel } from '@empirical-bregman/model/node';
import { initBackend } from '@empirical-bregman/runtime';
import { servedIndexInfo } from './serve-engine';
import type { EngineReply, EngineRequest, WorkerEngineData } from './worker-messages';

const port = parentPort;
if (!port) throw new Error('serve-worker: expected to run on a worker thread');
const data = workerData as WorkerEngineData;

async function start(): Promise<{ model: BregmanModel; index: BregmanModelIndex | null }> {
  await initBackend({ quiet: data.quiet });
  const model = await loadModel(data.modelDir);
  try {
    const index = data.indexDir === null ? null : await model.loadIndex(directorySource(data.indexDir));
    return { model, index };
  } catch (error) {
    model.dispose();
    throw error;
  }
}

// The model and the index live as long as the thread: `terminate()` (the engine's close) frees them with it.
type TypedArray = Float32Array | Float64Array | Int32Array;

/**
 * `view` itself when it owns its whole buffer, else a copy that does: a typed array is posted (and transferred) with
 * its whole buffer, and a view into a larger one (a batch, the wasm heap) must neither be copied whole nor detached.
 */
function ownArray<T extends TypedArray>(view: T): T {
  const whole = view.byteOffset === 0 && view.byteLength === view.buffer.byteLength;
  return whole && view.buffer instanceof ArrayBuffer ? view : (view.slice() as T);
}

/** An error as data: a project error keeps its component and code; anything else (a bug) keeps its stack. */
function failure(error: unknown): { code?: string; component?: string; message: string } {
  if (isEmpiricalBregmanError(error)) return { code: error.code, component: error.component, message: error.message };
  return { message: error instanceof Error ? (error.stack ?? error.message) : String(error) };
}

start().then(
  ({ model, index }) => {
    port.postMessage({ kind: 'ready', manifest: model.manifest, index: servedIndexInfo(index) } satisfies EngineReply);
    // Requests arrive one at a time (the HTTP thread's compute slot), so they are answered in order.
    port.on('message', async (request: EngineRequest) => {
      try {
        if (!index && request.op !== 'embed') throw new Error('serve-worker: no index loaded');
        const sent: ArrayBuffer[] = [];
        const own = <T extends TypedArray>(view: T): T => {
          const copy = ownArray(view);
          sent.push(copy.buffer as ArrayBuffer);
          return copy;
        };
        if (request.op === 'embed') {
          const embeddings = own(await model.embedArray(request.rows));
          port.postMessage({ kind: 'embed', id: request.id, embeddings } satisfies EngineReply, sent);
        } else if (request.op === 'search') {
          const found = await index!.search(request.rows, { k: request.k, slot: request.slot });
          const result = {
            ...found,
            indices: own(found.indices),
            divergences: own(found.divergences),
            ...(found.labels && { labels: own(found.labels) }),
          };
          port.postMessage({ kind: 'search', id: request.id, result } satisfies EngineReply, sent);
        } else {
          const p = await index!.predict(request.rows, { k: request.k });
          const prediction = {
            ...p,
            classes: own(p.classes),
            knn: {
              ...p.knn,
              labels: own(p.knn.labels),
              scores: own(p.knn.scores),
              probabilities: own(p.knn.probabilities),
            },
            centroid: {
              ...p.centroid,
              labels: own(p.centroid.labels),
              divergences: own(p.centroid.divergences),
              probabilities: own(p.centroid.probabilities),
            },
          };
          port.postMessage({ kind: 'predict', id: request.id, prediction } satisfies EngineReply, sent);
        }
      } catch (error) {
        port.postMessage({ kind: 'error', id: request.id, ...failure(error) } satisfies EngineReply);
      }
    });
  },
  (error: unknown) => port.postMessage({ kind: 'failed', ...failure(error) } satisfies EngineReply),
);
