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
