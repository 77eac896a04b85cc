import * as tf from '@tensorflow/tfjs-core';
import { checkPair } from './check-inputs';
import type { Divergence, DivergenceJSON } from './divergence';
import { normalizeRows } from './normalize-rows';

/**
 * The cosine divergence D(x, y) = 1 − ⟨x, y⟩ / (‖x‖ ‖y‖) ∈ [0, 2]: a fixed, scale-invariant baseline (the usual
 * "cosine distance" of metric learning) behind the `Divergence` interface, for any width (`dim` is null).
 * Round-off outside [0, 2] is clamped. A zero row (norm ≤ 10⁻¹²) has D = 1 to everything, with a zero gradient
 * (not NaN).
 *
 * ```ts
 * const d = new CosineDivergence().pairwise(tf.tensor2d([[1, 0], [0, 0]]), tf.tensor2d([[2, 0]])); // [[0], [1]]
 * ```
 */
export class CosineDivergence implements Divergence {
  readonly type = 'CosineDivergence';
  readonly symmetric = true;
  readonly dim = null;
  readonly trainableVariables: tf.Variable[] = [];

  /** 1 − cos(A_i, B_j): [na, nb], owned by the caller. */
  pairwise(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
    checkPair('CosineDivergence.pairwise', a, b);
    return tf.tidy(() => {
      const an = normalizeRows(a);
      const bn = a === b ? an : normalizeRows(b);
      return tf.clipByValue(tf.sub(1, tf.matMul(an, bn, false, true)), 0, 2) as tf.Tensor2D;
    });
  }

  /** 1 − cos(A_i, B_i): [n], owned by the caller. */
  paired(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor1D {
    checkPair('CosineDivergence.paired', a, b, { aligned: true });
    return tf.tidy(
      () => tf.clipByValue(tf.sub(1, tf.sum(tf.mul(normalizeRows(a), normalizeRows(b)), 1)), 0, 2) as tf.Tensor1D,
    );
  }

  toJSON(): DivergenceJSON {
    return { type: this.type, config: {} };
  }

  dispose(): void {}
}
