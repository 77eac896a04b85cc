import * as tf from '@tensorflow/tfjs-core';
import type { BregmanMipsReduction } from '@empirical-bregman/bregman-core';
import { heapView } from '@empirical-bregman/zero-copy';
import { augmentedQueryRows, augmentedReferenceRows } from '../reduced-bregman-vectors';
import { rowNorms } from '../zero-tolerance';

// The pool search's reduced vectors in shared memory: written by the workers (phase 1), read by them (phase 2).

/**
 * Where reference block b lives in the shared, block-transposed layout the pool search uses: the references are cut
 * into blocks of `blockSize` rows, and block b is stored as its own row-major [width, rows] matrix at `offset`. A
 * worker then turns a block into the right operand of its matMul with one contiguous copy: no transpose, which the
 * stock wasm kernel does slowly (~20 ms for a 4096 × 130 block, against ~40 ms for the block's whole product).
 */
export function referenceBlock(
  numReferences: number,
  width: number,
  blockSize: number,
  b: number,
): { start: number; rows: number; offset: number } {
  const start = b * blockSize;
  return { start, rows: Math.min(blockSize, numReferences - start), offset: start * width };
}

/** Writes row-major [rows, width] `values` into the block-transposed layout as block `block` (see above). */
export function writeTransposedBlock(
  values: ArrayLike<number>,
  out: Float32Array,
  block: { rows: number; offset: number },
  width: number,
): void {
  const { rows, offset } = block;
  // Row by row: reads are sequential, each writes one column (stride `rows`) of the [width, rows] block.
  for (let j = 0; j < rows; j++) {
    const from = j * width;
    let to = offset + j;
    for (let c = 0; c < width; c++, to += rows) out[to] = values[from + c]!;
  }
}

/** Rows of a Bregman search to reduce: query rows, or one whole reference block. */
export interface ReductionItem {
  readonly side: 'query' | 'reference';
  /** First row (queries), or the block index (references). */
  readonly start: number;
  /** Number of rows (queries); ignored for a reference block. */
  readonly rows: number;
}

/** The inputs and outputs of the pool search's reduction, all in shared memory. */
export interface SharedReduction {
  readonly dim: number;
  /** [numQueries · dim] and [numReferences · dim]. */
  readonly queries: Float32Array;
  readonly references: Float32Array;
  readonly numReferences: number;
  readonly referenceBlockSize: number;
  /** Out: [numQueries · (dim + 2)] row-major, and the block-transposed references (`referenceBlock`). */
  readonly reducedQueries: Float32Array;
  readonly reducedReferences: Float32Array;
  /** Out: ‖q̃‖ of each reduced query and ‖r̃‖ of each reduced reference, for the zero tolerance (`zero-tolerance`). */
  readonly queryNorms: Float32Array;
  readonly referenceNorms: Float32Array;
}

/** Reduces `items` (φ and ∇φ of their rows) into the shared outputs; on a worker, or on the calling thread. */
export function reduceItems(
  mips: BregmanMipsReduction,
  shared: SharedReduction,
  items: readonly ReductionItem[],
): void {
  const { dim } = shared;
  const width = dim + 2;
  for (const item of items) {
    const block =
      item.side === 'query' ? null : referenceBlock(shared.numReferences, width, shared.referenceBlockSize, item.start);
    const [start, count] = block ? [block.start, block.rows] : [item.start, item.rows];
    const source = block ? shared.references : shared.queries;
    let rows: tf.Tensor2D | undefined;
    let reduced: tf.Tensor2D | undefined;
    try {
      rows = tf.tensor2d(source.subarray(start * dim, (start + count) * dim), [count, dim]);
      reduced = block ? augmentedReferenceRows(mips, rows) : augmentedQueryRows(mips, rows);
      // Read in place on the wasm heap (at once, before any other allocation), else copied.
      const values = heapView(reduced) ?? (reduced.dataSync() as Float32Array);
      // The norms from the very values the products use, exactly as the in-process search computes them.
      rowNorms(values, count, width, block ? shared.referenceNorms : shared.queryNorms, start);
      if (block) writeTransposedBlock(values, shared.reducedReferences, block, width);
      else shared.reducedQueries.set(values, start * width);
    } finally {
      tf.dispose([rows, reduced].filter((t): t is tf.Tensor2D => t !== undefined));
    }
  }
}
