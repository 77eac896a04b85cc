import * as tf from '@tensorflow/tfjs-core';
import type {
  ConvexConjugate,
  ConvexFunction,
  ConvexFunctionJSON,
  ValueAndGrad,
  ValueAndGradOptions,
} from './convex-function';
import { ClosedFormConjugate, runValueAndGrad } from './closed-form';
import { checkDim } from './input-domain';

export interface ExponentialSumOptions {
  /** Input dimension d. */
  readonly dim: number;
}

/**
 * φ(x) = Σᵢ e^{xᵢ}, ∇φ(x) = e^x. Induces D_φ(x, y) = Σᵢ e^{xᵢ} − e^{yᵢ} − e^{yᵢ}(xᵢ − yᵢ) (the exponential
 * loss; Banerjee et al. 2005, Table 1). Conjugate φ*(y) = Σᵢ yᵢ log yᵢ − yᵢ, ∇φ*(y) = log y on y > 0.
 */
export class ExponentialSum implements ConvexFunction {
  readonly type = 'ExponentialSum';
  readonly dim: number;
  /** Every real input: φ is finite and differentiable on all of ℝ^d. */
  readonly domain = 'real';
  readonly trainableVariables: tf.Variable[] = [];
  readonly conjugate: ConvexConjugate;

  constructor(options: ExponentialSumOptions) {
    this.dim = checkDim('ExponentialSum', options?.dim);
    this.conjugate = new ClosedFormConjugate('ExponentialSum.conjugate', this.dim, 'positive', (y) => {
      const grad = tf.log(y);
      return { value: tf.sum(tf.sub(tf.mul(y, grad), y), 1), grad };
    });
  }

  valueAndGrad(x: tf.Tensor2D, options?: ValueAndGradOptions): ValueAndGrad {
    return runValueAndGrad('ExponentialSum.valueAndGrad', x, this.dim, this.domain, options, (x) => {
      const grad = tf.exp(x);
      return { value: tf.sum(grad, 1), grad };
    });
  }

  toJSON(): ConvexFunctionJSON {
    return { type: this.type, config: { dim: this.dim }, weights: {} };
  }

  static fromJSON(json: ConvexFunctionJSON): ExponentialSum {
    return new ExponentialSum(json.config as unknown as ExponentialSumOptions);
  }

  dispose(): void {}
}
