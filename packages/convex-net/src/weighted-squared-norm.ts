import * as tf from '@tensorflow/tfjs-core';
import type {
  ConvexConjugate,
  ConvexFunction,
  ConvexFunctionJSON,
  ValueAndGrad,
  ValueAndGradOptions,
} from './convex-function';
import { ConvexNetError } from './convex-net-error';
import { ClosedFormConjugate, runValueAndGrad } from './closed-form';

export interface WeightedSquaredNormOptions {
  /** Positive per-coordinate weights w (their count is the dimension d). */
  readonly weights: readonly number[];
}

/**
 * φ(x) = ½ Σᵢ wᵢ xᵢ², ∇φ(x) = w ⊙ x, with every wᵢ > 0. Induces the diagonal Mahalanobis divergence
 * D_φ(x, y) = ½ Σᵢ wᵢ (xᵢ − yᵢ)². Conjugate φ*(y) = ½ Σᵢ yᵢ² / wᵢ, ∇φ*(y) = y / w.
 */
export class WeightedSquaredNorm implements ConvexFunction {
  readonly type = 'WeightedSquaredNorm';
  readonly dim: number;
  /** Every real input: φ is finite and differentiable on all of ℝ^d. */
  readonly domain = 'real';
  readonly trainableVariables: tf.Variable[] = [];
  readonly conjugate: ConvexConjugate;
  private readonly weights: number[];

  constructor(options: WeightedSquaredNormOptions) {
    const w = options?.weights;
    if (!Array.isArray(w) || w.length === 0 || !w.every((v) => typeof v === 'number' && Number.isFinite(v) && v > 0)) {
      throw new ConvexNetError(
        'WeightedSquaredNorm',
        'INVALID_ARGUMENT',
        `expected weights to be a non-empty array of finite numbers > 0, got ${JSON.stringify(w)}`,
      );
    }
    this.weights = [...w];
    this.dim = w.length;
    const weights = this.weights;
    this.conjugate = new ClosedFormConjugate('WeightedSquaredNorm.conjugate', this.dim, 'real', (y) => {
      const inv = tf.tensor1d(weights.map((v) => 1 / v));
      const grad = tf.mul(y, inv);
      return { value: tf.mul(0.5, tf.sum(tf.mul(y, grad), 1)), grad };
    });
  }

  valueAndGrad(x: tf.Tensor2D, options?: ValueAndGradOptions): ValueAndGrad {
    return runValueAndGrad('WeightedSquaredNorm.valueAndGrad', x, this.dim, this.domain, options, (x) => {
      const grad = tf.mul(x, tf.tensor1d(this.weights));
      return { value: tf.mul(0.5, tf.sum(tf.mul(x, grad), 1)), grad };
    });
  }

  toJSON(): ConvexFunctionJSON {
    return { type: this.type, config: { weights: [...this.weights] }, weights: {} };
  }

  static fromJSON(json: ConvexFunctionJSON): WeightedSquaredNorm {
    return new WeightedSquaredNorm(json.config as unknown as WeightedSquaredNormOptions);
  }

  dispose(): void {}
}
