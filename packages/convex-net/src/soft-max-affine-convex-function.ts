import * as tf from '@tensorflow/tfjs-core';
import type { ConvexFunction, ConvexFunctionJSON, ValueAndGrad, ValueAndGradOptions } from './convex-function';
import { runValueAndGrad } from './closed-form';
import { checkDim, checkNumber } from './input-domain';
import { type InitSeed, toRandom, VariableSet, withLoadedWeights } from './variable-set';

export interface SoftMaxAffineConvexFunctionOptions {
  /** Input dimension d. */
  readonly dim: number;
  /** Number K of affine pieces (default 32). */
  readonly pieces?: number;
  /** Temperature τ > 0 (default 1): τ → 0 recovers the max-affine generator. */
  readonly temperature?: number;
  /** Seed for the initial slopes a_k ~ N(0, 1/d) and intercepts b_k ~ N(0, 0.1²) (default 0). */
  readonly seed?: InitSeed;
}

/**
 * Smooth max-affine generator: φ(x) = τ log Σ_k exp((a_kᵀx + b_k)/τ), a log-sum-exp of affine functions, hence
 * convex; ∇φ(x) = Σ_k p_k(x) a_k with p(x) = softmax((Ax + b)/τ). It is the smoothed version of the PBDL
 * max-affine generator (Siahkamari et al. 2020), and max_k(·) ≤ φ ≤ max_k(·) + τ log K.
 *
 * Trainable variables: `slopes` [K, d], `intercepts` [K].
 */
export class SoftMaxAffineConvexFunction implements ConvexFunction {
  readonly type = 'SoftMaxAffineConvexFunction';
  readonly dim: number;
  /** Every real input: φ is finite and differentiable on all of ℝ^d. */
  readonly domain = 'real';
  readonly pieces: number;
  readonly temperature: number;
  private readonly vars = new VariableSet('SoftMaxAffineConvexFunction');

  constructor(options: SoftMaxAffineConvexFunctionOptions) {
    const c = 'SoftMaxAffineConvexFunction';
    this.dim = checkDim(c, options?.dim);
    this.pieces = checkDim(c, options.pieces ?? 32, 'pieces');
    this.temperature = checkNumber(c, options.temperature ?? 1, 'temperature', '> 0', (v) => v > 0);
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
    return runValueAndGrad('SoftMaxAffineConvexFunction.valueAndGrad', x, this.dim, this.domain, options, (x) => {
      const slopes = this.vars.get('slopes') as tf.Tensor2D;
      const scaled = tf.div(
        tf.add(tf.matMul(x, slopes, false, true), this.vars.get('intercepts')),
        this.temperature,
      ) as tf.Tensor2D;
      // tf.logSumExp shifts by the row maximum internally (stable); first-order autodiff through it is exact.
      const value = tf.mul(this.temperature, tf.logSumExp(scaled, 1));
      return { value, grad: tf.matMul(tf.softmax(scaled), slopes) };
    });
  }

  toJSON(): ConvexFunctionJSON {
    return {
      type: this.type,
      config: { dim: this.dim, pieces: this.pieces, temperature: this.temperature },
      weights: this.vars.serialize(),
    };
  }

  static fromJSON(json: ConvexFunctionJSON): SoftMaxAffineConvexFunction {
    const phi = new SoftMaxAffineConvexFunction(json.config as unknown as SoftMaxAffineConvexFunctionOptions);
    return withLoadedWeights(phi, phi.vars, json.weights);
  }

  dispose(): void {
    this.vars.dispose();
  }
}
