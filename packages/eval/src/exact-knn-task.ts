import * as tf from '@tensorflow/tfjs-core';
import { type DivergenceJSON, divergenceFromJSON } from '@empirical-bregman/bregman-core';
import { type QuerySlot, RunningTopK, searchBlocks } from './exact-knn';

/** One worker's share of an exact k-NN search (plain data: it crosses a thread boundary). */
export interface ExactKnnTaskPayload {
  /** null: queries and references are reduced vectors whose plain product is D (the Bregman fast path). */
  readonly divergence: DivergenceJSON | null;
  /** [numQueries · dim] row-major. */
  readonly queries: Float32Array;
  readonly numQueries: number;
  /** [numReferences · dim] row-major, usually in shared memory. */
  readonly references: Float32Array;
  readonly numReferences: number;
  readonly dim: number;
  readonly k: number;
  readonly queryIn: QuerySlot;
  /** Query q of this share is reference q + selfOffset (excluded), or null. */
  readonly selfOffset: number | null;
  readonly queryBlockSize: number;
  readonly referenceBlockSize: number;
}

export interface ExactKnnTaskResult {
  readonly indices: Int32Array;
  readonly distances: Float32Array;
}

/**
 * The worker side of `exactKnn({ pool })`: rebuilds the divergence from JSON and runs the same block loop on this
 * worker's backend. Built as its own entry (`dist/exact-knn-task.js`) for runtime's `WorkerPool`. Returns its
 * buffers by transfer (runtime's `withTransfer` shape).
 */
export async function exactKnnTask(
  payload: ExactKnnTaskPayload,
): Promise<{ __transfer: true; value: ExactKnnTaskResult; transfer: ArrayBuffer[] }> {
  const divergence = payload.divergence === null ? null : divergenceFromJSON(payload.divergence);
  const queries = tf.tensor2d(payload.queries, [payload.numQueries, payload.dim]);
  const references = tf.tensor2d(payload.references, [payload.numReferences, payload.dim]);
  try {
    const top = new RunningTopK(payload.numQueries, payload.k, payload.selfOffset);
    await searchBlocks(divergence, queries, references, payload.queryIn, top, {
      queryBlockSize: payload.queryBlockSize,
      referenceBlockSize: payload.referenceBlockSize,
    });
    // Reduced Bregman vectors: D = offset − score can fall a hair below 0 by round-off; clamp as `pairwise` does.
    if (divergence === null) top.clampBelow(0);
    return {
      __transfer: true,
      value: { indices: top.indices, distances: top.distances },
      transfer: [top.indices.buffer as ArrayBuffer, top.distances.buffer as ArrayBuffer],
    };
  } finally {
    tf.dispose([queries, references]);
    divergence?.dispose();
  }
}
