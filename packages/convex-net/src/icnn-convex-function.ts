import * as tf from '@tensorflow/tfjs-core';
import type { ConvexFunction, ConvexFunctionJSON, ValueAndGrad, ValueAndGradOptions } from './convex-function';
import { ConvexNetError } from './convex-net-error';
import { runValueAndGrad } from './closed-form';
import { checkDim, checkNumber } from './input-domain';
import { type InitSeed, toRandom, VariableSet, withLoadedWeights } from './variable-set';

/** Convex, non-decreasing activations σ (both keep the network convex in x). */
export type IcnnActivation = 'softplus' | 'relu';

export interface IcnnConvexFunctionOptions {
  /** Input dimension d. */
  readonly dim: number;
  /** Widths of the hidden layers h₀, …, h_{L−1} (default [64, 64]). */
  readonly hiddenSizes?: readonly number[];
  /** σ: `'softplus'` (smooth, default) or `'relu'` (piecewise linear). */
  readonly activation?: IcnnActivation;
  /** Strong-convexity weight μ > 0 of the (μ/2)‖x‖² term (default 0.1), so that D_φ(x, y) ≥ (μ/2)‖x − y‖². */
  readonly mu?: number;
  /** Seed for the initial weights (default 0). */
  readonly seed?: InitSeed;
}

/**
 * Fully input-convex neural network (Amos, Xu & Kolter 2017, "Input Convex Neural Networks", §3.1):
 *
 *   z₁ = σ(A₀x + b₀),  z_{k+1} = σ(U_k⁺ z_k + A_k x + b_k)  (k = 1 … L−1),
 *   φ(x) = u⁺ · z_L + wᵀx + (μ/2)‖x‖²,
 *
 * with U_k⁺ = softplus(Ũ_k) / h_{k−1} and u⁺ = softplus(ũ) / √h_{L−1} (element-wise): any real values of the
 * trainable Ũ, ũ give non-negative weights, so every optimiser step keeps φ convex; σ is convex and
 * non-decreasing. The fixed 1/h_{k−1} and 1/√h_{L−1} factors and A_k ~ N(0, 1/d) keep the pre-activations O(1)
 * and ∇φ of the order of μx + O(1) at initialisation, whatever the widths.
 *
 * ∇φ is an explicit forward expression (a hand-written backward pass, not nested autodiff):
 *
 *   δ_{L−1} = u⁺ ⊙ σ′(a_{L−1}),  δ_{k−1} = (U_k⁺ᵀ δ_k) ⊙ σ′(a_{k−1}),
 *   ∇φ(x) = Σ_k A_kᵀ δ_k + w + μx,
 *
 * where a_k is the pre-activation of layer k and σ′ = sigmoid (softplus) or the unit step (ReLU). Training a
 * Bregman divergence D_φ therefore needs only first-order autodiff, which works on every tfjs backend.
 *
 * Trainable variables (the keys of `toJSON().weights`): `A0`, `b0`, then `U1`, `A1`, `b1`, …, and `u`, `w`.
 */
export class IcnnConvexFunction implements ConvexFunction {
  readonly type = 'IcnnConvexFunction';
  readonly dim: number;
  /** Every real input: φ is finite and differentiable on all of ℝ^d. */
  readonly domain = 'real';
  readonly hiddenSizes: readonly number[];
  readonly activation: IcnnActivation;
  readonly mu: number;
  private readonly vars = new VariableSet('IcnnConvexFunction');

  constructor(options: IcnnConvexFunctionOptions) {
    const c = 'IcnnConvexFunction';
    this.dim = checkDim(c, options?.dim);
    const hidden = options.hiddenSizes ?? [64, 64];
    if (!Array.isArray(hidden) || hidden.length === 0) {
      throw new ConvexNetError(
        c,
        'INVALID_ARGUMENT',
        `expected hiddenSizes to be a non-empty array, got ${JSON.stringify(hidden)}`,
      );
    }
    for (let i = 0; i < hidden.length; i++) checkDim(c, hidden[i], `hiddenSizes[${i}]`);
    this.hiddenSizes = [...hidden];
    const activation = options.activation ?? 'softplus';
    if (activation !== 'softplus' && activation !== 'relu') {
      throw new ConvexNetError(
        c,
        'INVALID_ARGUMENT',
        `expected activation 'softplus' or 'relu', got ${JSON.stringify(activation)}`,
      );
    }
    this.activation = activation;
    this.mu = checkNumber(c, options.mu ?? 0.1, 'mu', '> 0', (v) => v > 0);

    const rng = toRandom(c, options.seed);
    const d = this.dim;
    const aStd = 1 / Math.sqrt(d);
    for (let k = 0; k < hidden.length; k++) {
      const h = hidden[k];
      if (k > 0) {
        // softplus(Ũ) ≈ 0.69 ± 0.1 at init: all paths start with similar positive weight.
        this.vars.add(`U${k}`, rng.normalArray(hidden[k - 1] * h, 0, 0.1), [hidden[k - 1], h]);
      }
      this.vars.add(`A${k}`, rng.normalArray(d * h, 0, aStd), [d, h]);
      this.vars.add(`b${k}`, new Float32Array(h), [h]);
    }
    this.vars.add('u', rng.normalArray(hidden[hidden.length - 1], 0, 0.1), [hidden[hidden.length - 1]]);
    this.vars.add('w', new Float32Array(d), [d]);
  }

  get trainableVariables(): tf.Variable[] {
    return this.vars.list();
  }

  valueAndGrad(x: tf.Tensor2D, options?: ValueAndGradOptions): ValueAndGrad {
    return runValueAndGrad('IcnnConvexFunction.valueAndGrad', x, this.dim, this.domain, options, (x) => {
      const sigma = this.activation === 'softplus' ? tf.softplus : tf.relu;
      const dSigma = this.activation === 'softplus' ? tf.sigmoid : (a: tf.Tensor) => tf.step(a, 0);
      const layers = this.hiddenSizes.length;
      const pre: tf.Tensor2D[] = [];
      const uPlus: tf.Tensor2D[] = [];
      let z: tf.Tensor2D | undefined;
      for (let k = 0; k < layers; k++) {
        let a = tf.add(tf.matMul(x, this.vars.get(`A${k}`) as tf.Tensor2D), this.vars.get(`b${k}`)) as tf.Tensor2D;
        if (k > 0 && z !== undefined) {
          const u = tf.mul(tf.softplus(this.vars.get(`U${k}`)), 1 / this.hiddenSizes[k - 1]) as tf.Tensor2D;
          uPlus[k] = u;
          a = tf.add(a, tf.matMul(z, u));
        }
        pre.push(a);
        z = sigma(a);
      }
      const last = this.hiddenSizes[layers - 1];
      const outWeights = tf.mul(tf.softplus(this.vars.get('u')), 1 / Math.sqrt(last)) as tf.Tensor1D;
      const w = this.vars.get('w') as tf.Tensor1D;
      const value = tf.add(
        tf.add(tf.sum(tf.mul(z as tf.Tensor2D, outWeights), 1), tf.sum(tf.mul(x, w), 1)),
        tf.mul(0.5 * this.mu, tf.sum(tf.square(x), 1)),
      );
      // Hand-written backward pass: δ_k = ∂φ/∂a_k.
      let delta = tf.mul(outWeights, dSigma(pre[layers - 1])) as tf.Tensor2D;
      let grad = tf.add(tf.mul(this.mu, x), w) as tf.Tensor2D;
      for (let k = layers - 1; k >= 0; k--) {
        grad = tf.add(grad, tf.matMul(delta, this.vars.get(`A${k}`) as tf.Tensor2D, false, true));
        if (k > 0) delta = tf.mul(tf.matMul(delta, uPlus[k], false, true), dSigma(pre[k - 1]));
      }
      return { value, grad };
    });
  }

  toJSON(): ConvexFunctionJSON {
    return {
      type: this.type,
      config: { dim: this.dim, hiddenSizes: [...this.hiddenSizes], activation: this.activation, mu: this.mu },
      weights: this.vars.serialize(),
    };
  }

  static fromJSON(json: ConvexFunctionJSON): IcnnConvexFunction {
    const phi = new IcnnConvexFunction(json.config as unknown as IcnnConvexFunctionOptions);
    return withLoadedWeights(phi, phi.vars, json.weights);
  }

  dispose(): void {
    this.vars.dispose();
  }
}
