import * as tf from '@tensorflow/tfjs-core';
import { checkPair } from './check-inputs';
import type { Divergence, DivergenceJSON } from './divergence';

/** Rows whose norm is at most this count as zero (a zero vector has cosine 0 with everything, so D = 1). */
const MIN_NORM = 1e-12;
const MIN_SQUARED_NORM = MIN_NORM * MIN_NORM;

/**
 * x / ‖x‖ row by row, with 0 (and a zero gradient) for a row of norm ≤ MIN_NORM. A mask m = step(‖x‖² − ε²) (which
 * has a zero gradient, unlike `greater`) gives x·m / √(m·‖x‖² + 1 − m): x/‖x‖ bit for bit where m = 1, and 0/1
 * where m = 0, so the square root never sees 0. Why not max(‖x‖, ε) as before: √ at 0 has an infinite derivative,
 * and its product with the zero derivative of ‖x‖² gave a NaN gradient for a zero row (the loss of a whole batch
 * then is NaN). Why not x / √(max(‖x‖², ε²)) (PyTorch's F.normalize): finite, but −y/ε ≈ 10¹² per unit of loss
 * at a zero row, a step that wipes the weights; 0 is the convention EuclideanDivergence takes at 0 too.
 */
function normalizeRows(x: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const squaredNorms = tf.sum(tf.square(x), 1, true);
    const mask = tf.step(tf.sub(squaredNorms, MIN_SQUARED_NORM));
    const norms = tf.sqrt(tf.add(tf.mul(squaredNorms, mask), tf.sub(1, mask)));
    return tf.div(tf.mul(x, mask), norms) as tf.Tensor2D;
  });
}

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
