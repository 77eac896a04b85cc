import * as tf from '@tensorflow/tfjs-core';
import type { Divergence, QuerySlot } from '@empirical-bregman/bregman-core';
import { heapView } from '@empirical-bregman/zero-copy';
import type { RunningTopK } from './running-top-k';
import type { ZeroTolerance } from './zero-tolerance';

/** How each block of D is computed. Internal. */
export type BlockProduct =
  /** The divergence's own `pairwise`, the query in `querySlot`: any divergence. */
  | { readonly kind: 'pairwise'; readonly divergence: Divergence; readonly querySlot: QuerySlot }
  /**
   * The plain product Q̃·R̃ᵀ of already reduced vectors (see `reduced-bregman-vectors`): the query is in the left
   * slot of the product whatever its slot in D; values within `zeroTolerance` of 0 count as 0.
   */
  | { readonly kind: 'reduced'; readonly zeroTolerance: ZeroTolerance };

/** Block sizes and the progress callback of the block loop. Internal. */
export interface BlockLoopOptions {
  readonly queryBlockSize: number;
  readonly referenceBlockSize: number;
  readonly onBlock?: (done: number, total: number) => void;
}

/**
 * The block loop: feeds every query block × reference block of D to `top`, one block of D alive at a time. Internal
 * (the in-process search and the worker task share it).
 */
export async function searchBlocks(
  product: BlockProduct,
  queries: tf.Tensor2D,
  references: tf.Tensor2D,
  top: RunningTopK,
  blocks: BlockLoopOptions,
): Promise<void> {
  const [nq, d] = queries.shape;
  const nr = references.shape[0];
  const qb = blocks.queryBlockSize;
  const rb = blocks.referenceBlockSize;
  const reduced = product.kind === 'reduced';
  const referenceBlocks: tf.Tensor2D[] = [];
  try {
    for (let r0 = 0; r0 < nr; r0 += rb) {
      // Reduced vectors are stored transposed once, so each block is a flag-free matMul.
      referenceBlocks.push(
        tf.tidy(() => {
          const block = tf.slice(references, [r0, 0], [Math.min(rb, nr - r0), d]);
          return reduced ? (tf.transpose(block) as tf.Tensor2D) : block;
        }),
      );
    }
    const totalBlocks = Math.ceil(nq / qb) * referenceBlocks.length;
    let doneBlocks = 0;
    let lastYield = performance.now();
    for (let q0 = 0; q0 < nq; q0 += qb) {
      const bq = Math.min(qb, nq - q0);
      const queryBlock = tf.slice(queries, [q0, 0], [bq, d]);
      try {
        for (let b = 0; b < referenceBlocks.length; b++) {
          const refBlock = referenceBlocks[b];
          const br = reduced ? refBlock.shape[1] : refBlock.shape[0];
          const rowsAreQueries = product.kind === 'reduced' || product.querySlot === 'left';
          const matrix = tf.tidy(() =>
            product.kind === 'reduced'
              ? tf.matMul(queryBlock, refBlock)
              : rowsAreQueries
                ? product.divergence.pairwise(queryBlock, refBlock)
                : product.divergence.pairwise(refBlock, queryBlock),
          );
          try {
            const values = heapView(matrix) ?? ((await matrix.data()) as Float32Array);
            if (product.kind === 'reduced') top.scanRowsAreQueries(values, q0, bq, b * rb, br, product.zeroTolerance);
            else if (rowsAreQueries) top.scanRowsAreQueries(values, q0, bq, b * rb, br);
            else top.scanRowsAreReferences(values, q0, bq, b * rb, br);
          } finally {
            matrix.dispose();
          }
          blocks.onBlock?.(++doneBlocks, totalBlocks);
          // Let timers and I/O run now and then: a long search must not freeze the process.
          if (performance.now() - lastYield > 100) {
            await yieldToEventLoop();
            lastYield = performance.now();
          }
        }
      } finally {
        queryBlock.dispose();
      }
    }
  } finally {
    for (const t of referenceBlocks) t.dispose();
  }
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
