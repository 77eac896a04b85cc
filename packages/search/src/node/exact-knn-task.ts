import * as tf from '@tensorflow/tfjs-core';
import { BregmanMipsReduction, bregmanGeneratorOf, divergenceFromJSON } from '@empirical-bregman/bregman-core';
import { type TransferableResult, heapView, withTransfer } from '@empirical-bregman/zero-copy';
import { RunningTopK } from '../running-top-k';
import { searchBlocks } from '../search-blocks';
import { SearchError } from '../search-error';
import { type ZeroTolerance, zeroToleranceScale } from '../zero-tolerance';
import type {
  ExactKnnTaskPayload,
  ExactKnnTaskResult,
  ReduceRowsTaskPayload,
  SearchReducedTaskPayload,
} from './knn-task-payloads';
import { referenceBlock, reduceItems } from './shared-reduction';

// The worker side of `knnPool(workerPool)`, built as its own entry (`dist/exact-knn-task.js`) that runtime's
// `WorkerPool` imports in each worker. Results move back by transfer (zero-copy's `withTransfer`).

/**
 * A share of queries against all references under any divergence: rebuilds the divergence from JSON and runs the
 * same block loop as the single-process search, on this worker's backend.
 */
export async function exactKnnTask(payload: ExactKnnTaskPayload): Promise<TransferableResult<ExactKnnTaskResult>> {
  const divergence = divergenceFromJSON(payload.divergence);
  const queries = tf.tensor2d(payload.queries, [payload.numQueries, payload.dim]);
  const references = tf.tensor2d(payload.references, [payload.numReferences, payload.dim]);
  try {
    const top = new RunningTopK(payload.numQueries, payload.k, payload.selfOffset, payload.queryStart);
    await searchBlocks({ kind: 'pairwise', divergence, querySlot: payload.querySlot }, queries, references, top, {
      queryBlockSize: payload.queryBlockSize,
      referenceBlockSize: payload.referenceBlockSize,
    });
    return transferTopK(top);
  } finally {
    tf.dispose([queries, references]);
    divergence.dispose();
  }
}

function transferTopK(top: RunningTopK): TransferableResult<ExactKnnTaskResult> {
  const { indices, distances } = top;
  return withTransfer({ indices, distances }, [indices.buffer as ArrayBuffer, distances.buffer as ArrayBuffer]);
}

/** Phase 1 of the pool's Bregman search: reduces `items` into the shared outputs. */
export function reduceRowsTask(payload: ReduceRowsTaskPayload): void {
  const divergence = divergenceFromJSON(payload.divergence);
  try {
    const generator = bregmanGeneratorOf(divergence);
    if (generator === null)
      throw new SearchError(
        'exactKnn',
        'INVALID_ARGUMENT',
        `expected a Bregman divergence for the reduced pool search, got ${divergence.type}`,
      );
    reduceItems(new BregmanMipsReduction(generator, { querySlot: payload.querySlot }), payload, payload.items);
  } finally {
    divergence.dispose();
  }
}

/** A tensor's values, in place on the wasm heap when possible (read at once, before any other allocation). */
function valuesOf(t: tf.Tensor): Float32Array {
  return heapView(t) ?? (t.dataSync() as Float32Array);
}

/** Phase 2 of the pool's Bregman search: a share of the reduced queries against every reduced reference block. */
export function searchReducedTask(payload: SearchReducedTaskPayload): TransferableResult<ExactKnnTaskResult> {
  const { width, queryStart, numQueries, numReferences, queryBlockSize, referenceBlockSize } = payload;
  const top = new RunningTopK(numQueries, payload.k, payload.excludeSelf ? queryStart : null, queryStart);
  // The same tolerance as the in-process search; the top-k counts this share's queries from 0.
  const zero: ZeroTolerance = {
    scale: zeroToleranceScale(width),
    queryNorms: payload.queryNorms.subarray(queryStart, queryStart + numQueries),
    referenceNorms: payload.referenceNorms,
  };
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
          top.scanRowsAreQueries(valuesOf(matrix), a0, bq, block.start, block.rows, zero);
        } finally {
          matrix.dispose();
        }
      }
    } finally {
      queryBlock.dispose();
    }
  }
  return transferTopK(top);
}

/** Tensors alive on this worker (for leak checks after failed searches). */
export function workerTensorCount(): number {
  return tf.memory().numTensors;
}
