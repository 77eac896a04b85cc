import * as tf from '@tensorflow/tfjs-core';
import {
  BregmanDivergence,
  BregmanMipsReduction,
  type DivergenceJSON,
  divergenceFromJSON,
} from '@empirical-bregman/bregman-core';
import { EvaluationError } from './evaluation-error';
import { type QuerySlot, RunningTopK, searchBlocks } from './exact-knn';
import { heapView } from './heap-view';
import { type ReductionItem, type SharedReduction, referenceBlock, reduceItems } from './reduced-bregman-vectors';

// The worker side of `exactKnn({ pool })`, built as its own entry (`dist/exact-knn-task.js`) for runtime's
// `WorkerPool`. Results come back by transfer (runtime's `withTransfer` shape).

type Transferred<T> = { __transfer: true; value: T; transfer: ArrayBuffer[] };

/** One worker's share of an exact k-NN search under any divergence (plain data: it crosses a thread boundary). */
export interface ExactKnnTaskPayload {
  readonly divergence: DivergenceJSON;
  /** [numQueries · dim] row-major. */
  readonly queries: Float32Array;
  readonly numQueries: number;
  /** [numReferences · dim] row-major, usually in shared memory. */
  readonly references: Float32Array;
  readonly numReferences: number;
  readonly dim: number;
  readonly k: number;
  readonly queryIn: QuerySlot;
  /** The share's first query in the whole search (for error messages). */
  readonly queryStart: number;
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
 * A share of queries against all references under any divergence: rebuilds the divergence from JSON and runs the
 * same block loop as the single-process search, on this worker's backend.
 */
export async function exactKnnTask(payload: ExactKnnTaskPayload): Promise<Transferred<ExactKnnTaskResult>> {
  const divergence = divergenceFromJSON(payload.divergence);
  const queries = tf.tensor2d(payload.queries, [payload.numQueries, payload.dim]);
  const references = tf.tensor2d(payload.references, [payload.numReferences, payload.dim]);
  try {
    const top = new RunningTopK(payload.numQueries, payload.k, payload.selfOffset, payload.queryStart);
    await searchBlocks(divergence, queries, references, payload.queryIn, top, {
      queryBlockSize: payload.queryBlockSize,
      referenceBlockSize: payload.referenceBlockSize,
    });
    return transferTopK(top);
  } finally {
    tf.dispose([queries, references]);
    divergence.dispose();
  }
}

function transferTopK(top: RunningTopK): Transferred<ExactKnnTaskResult> {
  return {
    __transfer: true,
    value: { indices: top.indices, distances: top.distances },
    transfer: [top.indices.buffer as ArrayBuffer, top.distances.buffer as ArrayBuffer],
  };
}

/** Phase 1 of the pool's Bregman search: φ and ∇φ of some rows, written into shared memory. */
export interface ReduceRowsTaskPayload extends SharedReduction {
  readonly divergence: DivergenceJSON;
  readonly queryIn: QuerySlot;
  readonly items: readonly ReductionItem[];
}

/** Phase 1 of the pool's Bregman search: reduces `items` into the shared outputs. */
export function reduceRowsTask(payload: ReduceRowsTaskPayload): void {
  const divergence = divergenceFromJSON(payload.divergence);
  try {
    if (!(divergence instanceof BregmanDivergence))
      throw new EvaluationError(
        'exactKnn',
        'INVALID_ARGUMENT',
        `expected a Bregman divergence for the reduced pool search, got ${divergence.constructor.name}`,
      );
    reduceItems(new BregmanMipsReduction(divergence.generator, { querySlot: payload.queryIn }), payload, payload.items);
  } finally {
    divergence.dispose();
  }
}

/** A tensor's values, in place on the wasm heap when possible (read at once, before any other allocation). */
function valuesOf(t: tf.Tensor): Float32Array {
  return heapView(t) ?? (t.dataSync() as Float32Array);
}

/** Phase 2 of the pool's Bregman search: a share of the reduced queries against every reduced reference block. */
export interface SearchReducedTaskPayload {
  /** Both shared, written by phase 1. */
  readonly reducedQueries: Float32Array;
  readonly reducedReferences: Float32Array;
  readonly width: number;
  readonly queryStart: number;
  readonly numQueries: number;
  readonly numReferences: number;
  readonly k: number;
  readonly excludeSelf: boolean;
  readonly queryBlockSize: number;
  readonly referenceBlockSize: number;
}

export function searchReducedTask(payload: SearchReducedTaskPayload): Transferred<ExactKnnTaskResult> {
  const { width, queryStart, numQueries, numReferences, queryBlockSize, referenceBlockSize } = payload;
  const top = new RunningTopK(numQueries, payload.k, payload.excludeSelf ? queryStart : null, queryStart);
  const numBlocks = Math.ceil(numReferences / referenceBlockSize);
  for (let a0 = 0; a0 < numQueries; a0 += queryBlockSize) {
    const bq = Math.min(queryBlockSize, numQueries - a0);
    const from = (queryStart + a0) * width;
    const queryBlock = tf.tensor2d(payload.reducedQueries.subarray(from, from + bq * width), [bq, width]);
    try {
      for (let b = 0; b < numBlocks; b++) {
        const block = referenceBlock(numReferences, width, referenceBlockSize, b);
        // One contiguous copy of 2 MB per block (a 4096 × 130 block): under 1% of its product's time, so no
        // worker keeps references between tasks and shares can be small enough to balance the workers.
        const matrix = tf.tidy(() =>
          tf.matMul(
            queryBlock,
            tf.tensor2d(payload.reducedReferences.subarray(block.offset, block.offset + width * block.rows), [
              width,
              block.rows,
            ]),
          ),
        );
        try {
          top.scanRowsAreQueries(valuesOf(matrix), a0, bq, block.start, block.rows);
        } finally {
          matrix.dispose();
        }
      }
    } finally {
      queryBlock.dispose();
    }
  }
  // D = offset − score can fall a hair below 0 by round-off; clamp as `pairwise` and the single-process path do.
  top.clampBelow(0);
  return transferTopK(top);
}

/** Tensors alive on this worker (for leak checks after failed searches). */
export function workerTensorCount(): number {
  return tf.memory().numTensors;
}
