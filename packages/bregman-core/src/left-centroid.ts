import * as tf from '@tensorflow/tfjs-core';
import type { ConvexFunction } from '@empirical-bregman/convex-net';
import { BregmanCoreError } from './bregman-core-error';
import { checkMatrix, isTensor } from './check-inputs';
import { type InverseGradientOptions, type InverseGradientResult, inverseGradient } from './inverse-gradient';

export interface LeftCentroidOptions extends Omit<InverseGradientOptions, 'init'> {
  /** Optional non-negative weights [n] (not all 0). */
  readonly weights?: tf.Tensor1D;
  /** Numeric solve: starting point [d] in φ's domain (default: the arithmetic mean of the points). */
  readonly init?: tf.Tensor1D;
}

export interface LeftCentroidResult extends Omit<InverseGradientResult, 'value'> {
  /** The centroid [d], owned by the caller. */
  readonly centroid: tf.Tensor1D;
}

/**
 * The left-sided Bregman centroid argmin_c Σᵢ wᵢ D_φ(c, xᵢ) = ∇φ*(Σᵢ wᵢ ∇φ(xᵢ) / Σᵢ wᵢ), the mean taken in the
 * gradient (dual) space (Nielsen & Nock 2009, "Sided and symmetrized Bregman centroids", IEEE Trans. Inf. Theory
 * 55(6)): setting the gradient Σᵢ wᵢ (∇φ(c) − ∇φ(xᵢ)) to 0 gives ∇φ(c) = mean ∇φ(xᵢ). For the negative entropy it is
 * the (unnormalised) geometric mean exp(mean log xᵢ); for Burg's entropy the harmonic mean.
 *
 * Closed form when φ has a `conjugate`, otherwise a numeric convex solve (see {@link inverseGradient}) started at
 * the arithmetic mean, to `tolerance` on ‖∇φ(c) − mean ∇φ(xᵢ)‖_∞.
 *
 * ```ts
 * const { centroid } = leftCentroid(new NegativeEntropy({ dim: 3 }), points); // exp(mean(log points))
 * ```
 */
export function leftCentroid(
  generator: ConvexFunction,
  x: tf.Tensor2D,
  options: LeftCentroidOptions = {},
): LeftCentroidResult {
  const component = 'leftCentroid';
  checkMatrix(component, 'x', x, generator.dim);
  if (x.shape[0] === 0) {
    throw new BregmanCoreError(component, 'INVALID_SHAPE', 'expected at least one point, got x of shape [0, d]');
  }
  const { weights, init, ...solver } = options;
  if (weights !== undefined && (!isTensor(weights) || weights.rank !== 1 || weights.shape[0] !== x.shape[0])) {
    throw new BregmanCoreError(
      component,
      'INVALID_SHAPE',
      `expected weights of shape [${x.shape[0]}], got ${String(weights)}`,
    );
  }
  if (init !== undefined && (!isTensor(init) || init.rank !== 1 || init.shape[0] !== generator.dim)) {
    throw new BregmanCoreError(
      component,
      'INVALID_SHAPE',
      `expected init of shape [${generator.dim}], got ${String(init)}`,
    );
  }
  const [dualMean, start] = tf.tidy(() => {
    const g = generator.valueAndGrad(x).grad;
    const w = weights === undefined ? null : tf.reshape(weights, [-1, 1]);
    const mean = (t: tf.Tensor2D) =>
      w === null ? tf.mean(t, 0, true) : tf.div(tf.sum(tf.mul(t, w), 0, true), tf.sum(w));
    const s = init === undefined ? mean(x) : tf.reshape(init, [1, -1]);
    return [mean(g) as tf.Tensor2D, s as tf.Tensor2D];
  });
  try {
    const result = inverseGradient(generator, dualMean, { ...solver, init: start });
    const centroid = tf.reshape(result.value, [generator.dim]) as tf.Tensor1D;
    result.value.dispose();
    return {
      centroid,
      method: result.method,
      iterations: result.iterations,
      converged: result.converged,
      residual: result.residual,
    };
  } finally {
    tf.dispose([dualMean, start]);
  }
}
