import * as tf from '@tensorflow/tfjs-core';
import { checkPair } from './check-inputs';
import type { Divergence, DivergenceJSON } from './divergence';
import { squaredDistanceMatrix } from './squared-euclidean-divergence';

/** Squared distances at or below this count as 0 (their square root would have an infinite derivative). */
const ZERO_SQUARED = 1e-12;

/**
 * √s with a finite gradient at s = 0: 0 with gradient 0 where s ≤ ZERO_SQUARED. A mask m = step(s − ε) (which has a
 * zero gradient, unlike `greater`) selects √(m·s + 1 − m)·m, so the square root never sees 0.
 */
function safeSqrt<T extends tf.Tensor>(s: T): T {
  return tf.tidy(() => {
    const mask = tf.step(tf.sub(s, ZERO_SQUARED));
    const safe = tf.add(tf.mul(s, mask), tf.sub(1, mask));
    return tf.mul(tf.sqrt(safe), mask) as T;
  });
}

/**
 * The Euclidean distance D(x, y) = ‖x − y‖ (a metric, not a Bregman divergence): a fixed baseline behind the
 * `Divergence` interface, for any width (`dim` is null). Computed as √max(‖a‖² + ‖b‖² − 2⟨a, b⟩, 0) with one matrix
 * product; at D = 0 the value and its gradient are 0 (not NaN).
 */
export class EuclideanDivergence implements Divergence {
  readonly type = 'EuclideanDivergence';
  readonly symmetric = true;
  readonly dim = null;
  readonly trainableVariables: tf.Variable[] = [];

  /** ‖A_i − B_j‖: [na, nb], owned by the caller. */
  pairwise(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
    checkPair('EuclideanDivergence.pairwise', a, b);
    return tf.tidy(() => safeSqrt(squaredDistanceMatrix(a, b)));
  }

  /** ‖A_i − B_i‖: [n], owned by the caller. */
  paired(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor1D {
    checkPair('EuclideanDivergence.paired', a, b, { aligned: true });
    return tf.tidy(() => safeSqrt(tf.sum(tf.squaredDifference(a, b), 1) as tf.Tensor1D));
  }

  toJSON(): DivergenceJSON {
    return { type: this.type, config: {} };
  }

  dispose(): void {}
}
