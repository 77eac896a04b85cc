import * as tf from '@tensorflow/tfjs-core';
import { checkPair } from './check-inputs';
import type { Divergence, DivergenceJSON } from './divergence';

/** ‖A_i‖² 1ᵀ + 1 ‖B_j‖²ᵀ − 2 A·Bᵀ, clamped at 0 (internal; shared by the Euclidean divergences). */
export function squaredDistanceMatrix(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const na = tf.reshape(tf.sum(tf.square(a), 1), [a.shape[0], 1]);
    const nb = a === b ? tf.reshape(na, [1, b.shape[0]]) : tf.reshape(tf.sum(tf.square(b), 1), [1, b.shape[0]]);
    const d = tf.sub(tf.add(na, nb), tf.mul(2, tf.matMul(a, b, false, true)));
    return tf.maximum(d, 0) as tf.Tensor2D;
  });
}

/**
 * The squared Euclidean distance D(x, y) = ‖x − y‖², the Bregman divergence of φ(x) = ‖x‖² (note: twice that of
 * `SquaredNorm`, φ = ½‖x‖²). The fixed baseline every learned divergence is compared with; works for any width
 * (`dim` is null). `pairwise` uses one matrix product (‖a‖² + ‖b‖² − 2⟨a, b⟩, round-off below 0 clamped to 0).
 */
export class SquaredEuclideanDivergence implements Divergence {
  readonly type = 'SquaredEuclideanDivergence';
  readonly symmetric = true;
  readonly dim = null;
  readonly trainableVariables: tf.Variable[] = [];

  /** ‖A_i − B_j‖²: [na, nb], owned by the caller. */
  pairwise(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
    checkPair('SquaredEuclideanDivergence.pairwise', a, b);
    return squaredDistanceMatrix(a, b);
  }

  /** ‖A_i − B_i‖²: [n], owned by the caller. */
  paired(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor1D {
    checkPair('SquaredEuclideanDivergence.paired', a, b, { aligned: true });
    return tf.tidy(() => tf.sum(tf.squaredDifference(a, b), 1) as tf.Tensor1D);
  }

  toJSON(): DivergenceJSON {
    return { type: this.type, config: {} };
  }

  dispose(): void {}
}
