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

export interface BurgEntropyOptions {
  /** Input dimension d. */
  readonly dim: number;
  /**
   * Floor ε ≥ 0 (default 0): inputs are evaluated at max(x, ε). With ε = 0 the domain is x > 0; with ε > 0 it
   * is x ≥ 0.
   */
  readonly floor?: number;
}

/**
 * Burg's entropy φ(x) = −Σᵢ log xᵢ, ∇φ(x) = −1/x, on x > 0. Induces the Itakura–Saito divergence
 * D_φ(x, y) = Σᵢ xᵢ/yᵢ − log(xᵢ/yᵢ) − 1 (Itakura & Saito 1968; Burg 1967). Conjugate
 * φ*(y) = −d − Σᵢ log(−yᵢ), ∇φ*(y) = −1/y on y < 0.
 */
export class BurgEntropy implements ConvexFunction {
  readonly type = 'BurgEntropy';
  readonly dim: number;
  readonly floor: number;
  /** x > 0, or x ≥ 0 with a floor ε > 0 (inputs are then evaluated at max(x, ε)). */
  readonly domain: InputDomain;
  readonly trainableVariables: tf.Variable[] = [];
  readonly conjugate: ConvexConjugate;

  constructor(options: BurgEntropyOptions) {
    this.dim = checkDim('BurgEntropy', options?.dim);
    this.floor = checkNumber('BurgEntropy', options.floor ?? 0, 'floor', '≥ 0', (v) => v >= 0);
    this.domain = this.floor > 0 ? 'nonnegative' : 'positive';
    const d = this.dim;
    this.conjugate = new ClosedFormConjugate('BurgEntropy.conjugate', d, 'negative', (y) => ({
      value: tf.sub(-d, tf.sum(tf.log(tf.neg(y)), 1)),
      grad: tf.div(-1, y),
    }));
  }

  valueAndGrad(x: tf.Tensor2D, options?: ValueAndGradOptions): ValueAndGrad {
    return runValueAndGrad('BurgEntropy.valueAndGrad', x, this.dim, this.domain, options, (x) => {
      const xe = this.floor > 0 ? tf.maximum(x, this.floor) : x;
      return { value: tf.neg(tf.sum(tf.log(xe), 1)), grad: tf.div(-1, xe) };
    });
  }

  toJSON(): ConvexFunctionJSON {
    return { type: this.type, config: { dim: this.dim, floor: this.floor }, weights: {} };
  }

  static fromJSON(json: ConvexFunctionJSON): BurgEntropy {
    return new BurgEntropy(json.config as unknown as BurgEntropyOptions);
  }

  dispose(): void {}
}
