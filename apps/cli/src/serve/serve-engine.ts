import type {
  BregmanModel,
  BregmanModelIndex,
  IndexSearchResult,
  ModelManifest,
  Prediction,
} from '@empirical-bregman/model';
import type { QuerySlot } from '@empirical-bregman/bregman-core';

/** What `/model` says of the served index. */
export interface ServedIndexInfo {
  readonly kind: 'exact' | 'ann';
  readonly size: number;
  readonly hasLabels: boolean;
  readonly defaultSlot: QuerySlot;
}

/**
 * The model work behind `bregman serve`: embed, search and predict over float32 rows of raw input (already checked
 * for shape), answered with typed arrays. The server never touches tensors; an engine computes either in this
 * thread ({@link inProcessEngine}, for tests and embedding) or on a worker thread (`startWorkerEngine`, what
 * `bregman serve` uses so that HTTP work and `/health` never wait behind a search).
 */
export interface ServeEngine {
  readonly manifest: ModelManifest;
  /** The served index, or null (then /search and /predict answer 409). */
  readonly index: ServedIndexInfo | null;
  /** False once the engine cannot compute any more (its thread stopped, or it was closed): `/health` answers 503. */
  readonly alive: boolean;
  /**
   * The methods take `rows` over: an engine may move its memory to another thread (the caller's array is then
   * detached), so pass an array made for the call, as the server does.
   */
  embed(rows: Float32Array): Promise<Float32Array>;
  search(rows: Float32Array, options: { readonly k: number; readonly slot?: QuerySlot }): Promise<IndexSearchResult>;
  predict(rows: Float32Array, options: { readonly k?: number }): Promise<Prediction>;
}

/** The index facts `/model` reports. */
export function servedIndexInfo(index: BregmanModelIndex | null): ServedIndexInfo | null {
  return index && { kind: index.kind, size: index.size, hasLabels: index.hasLabels, defaultSlot: index.defaultSlot };
}

/**
 * An engine over a model and index of this thread; it borrows them (the caller disposes them).
 *
 * ```ts
 * const app = createServer({ engine: inProcessEngine(model, index), maxBatch: 256, maxQueue: 16, maxBody: 8 << 20 });
 * ```
 */
export function inProcessEngine(model: BregmanModel, index: BregmanModelIndex | null): ServeEngine {
  const info = servedIndexInfo(index);
  return {
    manifest: model.manifest,
    index: info,
    alive: true,
    embed: (rows) => model.embedArray(rows),
    search: (rows, options) => requireLoaded(index).search(rows, options),
    predict: (rows, options) => requireLoaded(index).predict(rows, options),
  };
}

function requireLoaded(index: BregmanModelIndex | null): BregmanModelIndex {
  // The server answers 409 before it asks an engine without an index: reaching this is a bug.
  if (!index) throw new Error('serve engine: no index loaded');
  return index;
}
