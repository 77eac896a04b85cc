import * as tf from '@tensorflow/tfjs-core';
import type {
  ConvexConjugate,
  ConvexFunction,
  ConvexFunctionJSON,
  ValueAndGrad,
  ValueAndGradOptions,
} from './convex-function';
import { ClosedFormConjugate, runValueAndGrad } from './closed-form';
import { checkDim, checkNumber, type InputDomain } from './input-domain';

export interface NegativeEntropyOptions {
  /** Input dimension d. */
  readonly dim: number;
  /**
   * Floor ε ≥ 0 (default 0): inputs are evaluated at max(x, ε), so embeddings that underflow to 0 (softmax
   * outputs) stay usable. With ε = 0 the domain is x > 0; with ε > 0 it is x ≥ 0.
   */
  readonly floor?: number;
}

/**
 * Negative Shannon entropy (unnormalised) φ(x) = Σᵢ xᵢ log xᵢ − xᵢ, ∇φ(x) = log x, on x > 0. Induces the
 * generalised Kullback–Leibler divergence D_φ(x, y) = Σᵢ xᵢ log(xᵢ/yᵢ) − xᵢ + yᵢ (Bregman 1967; Banerjee et al.
 * 2005). Conjugate φ*(y) = Σᵢ e^{yᵢ}, ∇φ*(y) = e^y on all of ℝ^d.
 */
export class NegativeEntropy implements ConvexFunction {
  readonly type = 'NegativeEntropy';
  readonly dim: number;
  readonly floor: number;
  /** x > 0, or x ≥ 0 with a floor ε > 0 (inputs are then evaluated at max(x, ε)). */
  readonly domain: InputDomain;
  readonly trainableVariables: tf.Variable[] = [];
  readonly conjugate: ConvexConjugate;

  constructor(options: NegativeEntropyOptions) {
    this.dim = checkDim('NegativeEntropy', options?.dim);
    this.floor = checkNumber('NegativeEntropy', options.floor ?? 0, 'floor', '≥ 0', (v) => v >= 0);
    this.domain = this.floor > 0 ? 'nonnegative' : 'positive';
    this.conjugate = new ClosedFormConjugate('NegativeEntropy.conjugate', this.dim, 'real', (y) => {
      const grad = tf.exp(y);
      return { value: tf.sum(grad, 1), grad };
    });
  }

  valueAndGrad(x: tf.Tensor2D, options?: ValueAndGradOptions): ValueAndGrad {
    return runValueAndGrad('NegativeEntropy.valueAndGrad', x, this.dim, this.domain, options, (x) => {
      const xe = this.floor > 0 ? tf.maximum(x, this.floor) : x;
      const grad = tf.log(xe);
      return { value: tf.sum(tf.sub(tf.mul(xe, grad), xe), 1), grad };
    });
  }

  toJSON(): ConvexFunctionJSON {
    return { type: this.type, config: { dim: this.dim, floor: this.floor }, weights: {} };
  }

  static fromJSON(json: ConvexFunctionJSON): NegativeEntropy {
    return new NegativeEntropy(json.config as unknown as NegativeEntropyOptions);
  }

  dispose(): void {}
}
