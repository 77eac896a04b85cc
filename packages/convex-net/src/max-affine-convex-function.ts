import * as tf from '@tensorflow/tfjs-core';
import type { ConvexFunction, ConvexFunctionJSON, ValueAndGrad, ValueAndGradOptions } from './convex-function';
import { runValueAndGrad } from './closed-form';
import { checkDim } from './input-domain';
import { type InitSeed, toRandom, VariableSet, withLoadedWeights } from './variable-set';

export interface MaxAffineConvexFunctionOptions {
  /** Input dimension d. */
  readonly dim: number;
  /** Number K of affine pieces (default 32). */
  readonly pieces?: number;
  /** Seed for the initial slopes a_k ~ N(0, 1/d) and intercepts b_k ~ N(0, 0.1²) (default 0). */
  readonly seed?: InitSeed;
}

/**
 * Max-affine generator of PBDL ("Piecewise-linear Bregman divergence learning", Siahkamari et al. 2020,
 * "Learning to approximate a Bregman divergence", NeurIPS): φ(x) = max_k (a_kᵀx + b_k), convex for any slopes
 * and intercepts. ∇φ(x) = a_{k*} with k* = argmax_k (a_kᵀx + b_k) (a subgradient at ties, where the first
 * maximiser wins). D_φ(x, y) = φ(x) − a_{k*(y)}ᵀx − b_{k*(y)} ≥ 0 is zero when x and y share a piece.
 *
 * Trainable variables: `slopes` [K, d], `intercepts` [K]; ∂/∂θ of ∇φ flows to the winning slope only.
 */
export class MaxAffineConvexFunction implements ConvexFunction {
  readonly type = 'MaxAffineConvexFunction';
  readonly dim: number;
  /** Every real input: φ is finite and differentiable on all of ℝ^d. */
  readonly domain = 'real';
  readonly pieces: number;
  private readonly vars = new VariableSet('MaxAffineConvexFunction');

  constructor(options: MaxAffineConvexFunctionOptions) {
    const c = 'MaxAffineConvexFunction';
    this.dim = checkDim(c, options?.dim);
    this.pieces = checkDim(c, options.pieces ?? 32, 'pieces');
    const rng = toRandom(c, options.seed);
    this.vars.add('slopes', rng.normalArray(this.pieces * this.dim, 0, 1 / Math.sqrt(this.dim)), [
      this.pieces,
      this.dim,
    ]);
    this.vars.add('intercepts', rng.normalArray(this.pieces, 0, 0.1), [this.pieces]);
  }

  get trainableVariables(): tf.Variable[] {
    return this.vars.list();
  }

  valueAndGrad(x: tf.Tensor2D, options?: ValueAndGradOptions): ValueAndGrad {
    return runValueAndGrad('MaxAffineConvexFunction.valueAndGrad', x, this.dim, this.domain, options, (x) => {
      const slopes = this.vars.get('slopes') as tf.Tensor2D;
      const scores = tf.add(tf.matMul(x, slopes, false, true), this.vars.get('intercepts')) as tf.Tensor2D;
      const winner = tf.cast(tf.oneHot(tf.argMax(scores, 1), this.pieces), 'float32') as tf.Tensor2D;
      return { value: tf.max(scores, 1), grad: tf.matMul(winner, slopes) };
    });
  }

  toJSON(): ConvexFunctionJSON {
    return { type: this.type, config: { dim: this.dim, pieces: this.pieces }, weights: this.vars.serialize() };
  }

  static fromJSON(json: ConvexFunctionJSON): MaxAffineConvexFunction {
    const phi = new MaxAffineConvexFunction(json.config as unknown as MaxAffineConvexFunctionOptions);
    return withLoadedWeights(phi, phi.vars, json.weights);
  }

  dispose(): void {
    this.vars.dispose();
  }
}
