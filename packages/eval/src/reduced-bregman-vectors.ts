import * as tf from '@tensorflow/tfjs-core';
import type { BregmanMipsReduction } from '@empirical-bregman/bregman-core';

/**
 * The Bregman fast path's vectors. With bregman-core's MIPS reduction, D(q, r) = offset_q − ⟨u_q, v_r⟩ (both slots);
 * appending the offset to the query side and a 1 to the reference side gives D(q, r) = ⟨[−u_q; offset_q], [v_r; 1]⟩,
 * so every block of D is one plain matMul of (d + 2)-dimensional vectors. Internal.
 */

/** [−u(q); offset(q)] for each row of `queries`: [rows, d + 2]. */
export function augmentedQueryRows(mips: BregmanMipsReduction, queries: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const { vectors, offsets } = mips.queryVectors(queries);
    return tf.concat([tf.neg(vectors), tf.reshape(offsets, [-1, 1])], 1) as tf.Tensor2D;
  });
}

/** [v(r); 1] for each row of `references`: [rows, d + 2]. */
export function augmentedReferenceRows(mips: BregmanMipsReduction, references: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(
    () => tf.concat([mips.databaseVectors(references), tf.ones([references.shape[0], 1])], 1) as tf.Tensor2D,
  );
}

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
