import * as tf from '@tensorflow/tfjs-core';
import type { ConvexFunction, ConvexFunctionJSON, ValueAndGrad, ValueAndGradOptions } from './convex-function';
import { runValueAndGrad } from './closed-form';
import { checkDim, checkNumber } from './input-domain';
import { type InitSeed, toRandom, VariableSet, withLoadedWeights } from './variable-set';

export interface LearnedQuadraticOptions {
  /** Input dimension d. */
  readonly dim: number;
  /** Rank r of the factor L: [d, r] (default d). */
  readonly rank?: number;
  /** ε > 0 of the ridge εI (default 1e-3), so that M = LLᵀ + εI is positive definite. */
  readonly epsilon?: number;
  /**
   * Seed for the initial factor (default 0): L = I + N(0, 0.01²) when r = d (D starts at ½‖x − y‖²), otherwise
   * L ~ N(0, 1/r) (so that E[LLᵀ] = I).
   */
  readonly seed?: InitSeed;
}

/**
 * Learned Mahalanobis generator φ(x) = ½ xᵀ(LLᵀ + εI)x = ½‖Lᵀx‖² + (ε/2)‖x‖², ∇φ(x) = L(Lᵀx) + εx. Induces
 * D_φ(x, y) = ½ (x − y)ᵀ(LLᵀ + εI)(x − y), the classic learned-metric baseline (Xing et al. 2002; Weinberger &
 * Saul 2009) inside the same Bregman code path.
 *
 * Trainable variable: `L` [d, r].
 */
export class LearnedQuadratic implements ConvexFunction {
  readonly type = 'LearnedQuadratic';
  readonly dim: number;
  /** Every real input: φ is finite and differentiable on all of ℝ^d. */
  readonly domain = 'real';
  readonly rank: number;
  readonly epsilon: number;
  private readonly vars = new VariableSet('LearnedQuadratic');

  constructor(options: LearnedQuadraticOptions) {
    const c = 'LearnedQuadratic';
    this.dim = checkDim(c, options?.dim);
    this.rank = checkDim(c, options.rank ?? this.dim, 'rank');
    this.epsilon = checkNumber(c, options.epsilon ?? 1e-3, 'epsilon', '> 0', (v) => v > 0);
    const rng = toRandom(c, options.seed);
    const d = this.dim;
    const r = this.rank;
    const init = rng.normalArray(d * r, 0, r === d ? 0.01 : 1 / Math.sqrt(r));
    if (r === d) for (let i = 0; i < d; i++) init[i * r + i] += 1;
    this.vars.add('L', init, [d, r]);
  }

  get trainableVariables(): tf.Variable[] {
    return this.vars.list();
  }

  valueAndGrad(x: tf.Tensor2D, options?: ValueAndGradOptions): ValueAndGrad {
    return runValueAndGrad('LearnedQuadratic.valueAndGrad', x, this.dim, this.domain, options, (x) => {
      const l = this.vars.get('L') as tf.Tensor2D;
      const projected = tf.matMul(x, l);
      const value = tf.mul(0.5, tf.add(tf.sum(tf.square(projected), 1), tf.mul(this.epsilon, tf.sum(tf.square(x), 1))));
      const grad = tf.add(tf.matMul(projected, l, false, true), tf.mul(this.epsilon, x));
      return { value, grad };
    });
  }

  toJSON(): ConvexFunctionJSON {
    return {
      type: this.type,
      config: { dim: this.dim, rank: this.rank, epsilon: this.epsilon },
      weights: this.vars.serialize(),
    };
  }

  static fromJSON(json: ConvexFunctionJSON): LearnedQuadratic {
    const phi = new LearnedQuadratic(json.config as unknown as LearnedQuadraticOptions);
    return withLoadedWeights(phi, phi.vars, json.weights);
  }

  dispose(): void {
    this.vars.dispose();
  }
}
