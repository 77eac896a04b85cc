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

export interface SoftplusSumOptions {
  /** Input dimension d. */
  readonly dim: number;
}

/**
 * φ(x) = Σᵢ log(1 + e^{xᵢ}), ∇φ(x) = σ(x) (the logistic sigmoid). Induces the logistic-loss divergence
 * D_φ(x, y) = Σᵢ softplus(xᵢ) − softplus(yᵢ) − σ(yᵢ)(xᵢ − yᵢ). Conjugate: the Bernoulli negative entropy
 * φ*(p) = Σᵢ pᵢ log pᵢ + (1 − pᵢ) log(1 − pᵢ), ∇φ*(p) = log(p / (1 − p)) on 0 < p < 1.
 */
export class SoftplusSum implements ConvexFunction {
  readonly type = 'SoftplusSum';
  readonly dim: number;
  /** Every real input: φ is finite and differentiable on all of ℝ^d. */
  readonly domain = 'real';
  readonly trainableVariables: tf.Variable[] = [];
  readonly conjugate: ConvexConjugate;

  constructor(options: SoftplusSumOptions) {
    this.dim = checkDim('SoftplusSum', options?.dim);
    this.conjugate = new ClosedFormConjugate('SoftplusSum.conjugate', this.dim, 'unit-interval', (p) => {
      const logP = tf.log(p);
      const logQ = tf.log1p(tf.neg(p));
      return {
        value: tf.sum(tf.add(tf.mul(p, logP), tf.mul(tf.sub(1, p), logQ)), 1),
        grad: tf.sub(logP, logQ),
      };
    });
  }

  valueAndGrad(x: tf.Tensor2D, options?: ValueAndGradOptions): ValueAndGrad {
    return runValueAndGrad('SoftplusSum.valueAndGrad', x, this.dim, this.domain, options, (x) => ({
      value: tf.sum(tf.softplus(x), 1),
      grad: tf.sigmoid(x),
    }));
  }

  toJSON(): ConvexFunctionJSON {
    return { type: this.type, config: { dim: this.dim }, weights: {} };
  }

  static fromJSON(json: ConvexFunctionJSON): SoftplusSum {
    return new SoftplusSum(json.config as unknown as SoftplusSumOptions);
  }

  dispose(): void {}
}
