import * as tf from '@tensorflow/tfjs-core';
import type {
  ConvexConjugate,
  ConvexFunction,
  ConvexFunctionJSON,
  ValueAndGrad,
  ValueAndGradOptions,
} from './convex-function';
import { ClosedFormConjugate, runValueAndGrad, type ValueAndGradKernel } from './closed-form';
import { checkDim } from './input-domain';

export interface SquaredNormOptions {
  /** Input dimension d. */
  readonly dim: number;
}

const kernel: ValueAndGradKernel = (x) => ({ value: tf.mul(0.5, tf.sum(tf.square(x), 1)), grad: tf.clone(x) });

/**
 * φ(x) = ½‖x‖², ∇φ(x) = x. Induces D_φ(x, y) = ½‖x − y‖² (half the squared Euclidean distance).
 * Self-conjugate: φ*(y) = ½‖y‖², ∇φ*(y) = y.
 *
 * ```ts
 * const phi = new SquaredNorm({ dim: 3 });
 * const { value, grad } = phi.valueAndGrad(tf.tensor2d([[1, 2, 2]])); // value [4.5], grad [[1, 2, 2]]
 * ```
 */
export class SquaredNorm implements ConvexFunction {
  readonly type = 'SquaredNorm';
  readonly dim: number;
  /** Every real input: φ is finite and differentiable on all of ℝ^d. */
  readonly domain = 'real';
  readonly trainableVariables: tf.Variable[] = [];
  readonly conjugate: ConvexConjugate;

  constructor(options: SquaredNormOptions) {
    this.dim = checkDim('SquaredNorm', options?.dim);
    this.conjugate = new ClosedFormConjugate('SquaredNorm.conjugate', this.dim, 'real', kernel);
  }

  valueAndGrad(x: tf.Tensor2D, options?: ValueAndGradOptions): ValueAndGrad {
    return runValueAndGrad('SquaredNorm.valueAndGrad', x, this.dim, this.domain, options, kernel);
  }

  toJSON(): ConvexFunctionJSON {
    return { type: this.type, config: { dim: this.dim }, weights: {} };
  }

  static fromJSON(json: ConvexFunctionJSON): SquaredNorm {
    return new SquaredNorm(json.config as unknown as SquaredNormOptions);
  }

  dispose(): void {}
}
