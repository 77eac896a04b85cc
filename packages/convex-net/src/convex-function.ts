import type { NamedArrayJSON } from '@empirical-bregman/common';
import type * as tf from '@tensorflow/tfjs-core';
import type { InputDomain } from './input-domain';

/**
 * @deprecated Use `NamedArrayJSON` from `@empirical-bregman/common`: the JSON encoding of the one named-array type
 * (`{ shape, values }`, float32 written as JS numbers; the same form, so saved models load unchanged).
 */
export type SerializedTensor = NamedArrayJSON;

/**
 * Everything needed to rebuild a convex function: its registered type name, its constructor options and, for
 * learnable ones, the current values of its variables. `convexFunctionFromJSON` is the inverse.
 */
export interface ConvexFunctionJSON {
  /** Registry name, e.g. `'SquaredNorm'`, `'IcnnConvexFunction'`. */
  readonly type: string;
  /** Constructor options (JSON-serialisable). */
  readonly config: Record<string, unknown>;
  /**
   * Variable values by variable name (empty for fixed generators whose parameters live in `config`), each in common's
   * JSON encoding of a `NamedArray` (`{ shape, values }`; read them with `namedArrayFromJSON(json, name)`).
   */
  readonly weights: Record<string, NamedArrayJSON>;
}

/** φ(X) and ∇φ(X) for a batch X: [n, d]. */
export interface ValueAndGrad {
  /** φ(x_i) for each row: [n]. */
  readonly value: tf.Tensor1D;
  /** ∇φ(x_i) for each row: [n, d]. */
  readonly grad: tf.Tensor2D;
}

export interface ValueAndGradOptions {
  /**
   * Check shape, finiteness and domain of the input (reads data back from the backend). Default true at the API
   * boundary; training loops pass false.
   */
  readonly validate?: boolean;
}

/**
 * The convex conjugate φ*(y) = sup_x ⟨x, y⟩ − φ(x) of a generator, in closed form, with ∇φ* = (∇φ)⁻¹.
 * Bregman divergences use it for left-sided centroids: argmin_c Σᵢ D_φ(c, xᵢ) = ∇φ*((1/n) Σᵢ ∇φ(xᵢ))
 * (Banerjee et al. 2005, "Clustering with Bregman divergences"; Nielsen & Nock 2009, "Sided and symmetrized
 * Bregman centroids"), and the dual divergence D_φ(x, y) = D_φ*(∇φ(y), ∇φ(x)).
 */
export interface ConvexConjugate {
  /** Input dimension d (the same as the generator's). */
  readonly dim: number;
  /** Where φ* is finite and differentiable, coordinate-wise (e.g. `'negative'` for Burg's entropy). */
  readonly domain: InputDomain;
  /**
   * φ*(Y): [n] and ∇φ*(Y): [n, d] for Y: [n, d] in the conjugate's domain (e.g. Y < 0 for Burg's entropy). The
   * tensors belong to the caller. `validate` (default true) checks shape, finiteness and domain.
   */
  valueAndGrad(y: tf.Tensor2D, options?: ValueAndGradOptions): ValueAndGrad;
}

/**
 * A convex function φ: ℝ^d → ℝ, evaluated on a batch. The contract every package relies on:
 * - `valueAndGrad(X)` returns φ(X): [n] and ∇φ(X): [n, d] from one call, as tensors the caller owns (dispose
 *   them, or call inside `tf.tidy`), differentiable once more with respect to X and to `trainableVariables`
 *   (training a Bregman divergence needs ∂/∂θ of ∇φ);
 * - φ is convex in x for every value of its variables (learnable generators keep it so by construction);
 * - `toJSON()` round-trips through `convexFunctionFromJSON`.
 */
export interface ConvexFunction {
  /** Registry name of the generator, as in `toJSON().type`. */
  readonly type: string;
  /** Input dimension d. */
  readonly dim: number;
  /**
   * The inputs φ accepts, coordinate-wise: `'real'` (all of ℝ^d: the squared norms, quadratics, `ExponentialSum`,
   * `SoftplusSum` and every learnable generator), `'positive'` (x > 0: `NegativeEntropy`, `BurgEntropy`) or
   * `'nonnegative'` (x ≥ 0: the entropies with a floor). `valueAndGrad` checks it when validating; an application
   * uses it to put its embeddings there (e.g. a softplus output layer unless the domain is `'real'`). Every
   * generator of this package sets it; it is optional in the interface only so that generators written before it
   * existed still type-check, and an absent `domain` means `'real'`: read it as `phi.domain ?? 'real'`.
   */
  readonly domain?: InputDomain;
  valueAndGrad(x: tf.Tensor2D, options?: ValueAndGradOptions): ValueAndGrad;
  /** The variables an optimiser should update (empty for fixed generators). */
  readonly trainableVariables: tf.Variable[];
  toJSON(): ConvexFunctionJSON;
  /**
   * Optional: the closed-form convex conjugate φ* with ∇φ*, present on fixed generators that have one
   * (`SquaredNorm`, `WeightedSquaredNorm`, positive-definite `Quadratic`, the entropies, `ExponentialSum`,
   * `SoftplusSum`); `undefined` otherwise.
   */
  readonly conjugate?: ConvexConjugate;
  /** Frees the variables. */
  dispose(): void;
}
