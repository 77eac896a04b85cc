import * as tf from '@tensorflow/tfjs-core';
import { type ConvexFunction, ensureGradients } from '@empirical-bregman/convex-net';
import type { BregmanDivergenceOptions } from './bregman-divergence';
import { checkGenerator, checkPair } from './check-inputs';
import type { Divergence, DivergenceJSON } from './divergence';
import { clampDivergence, type NegativityTolerance, resolveTolerance } from './negativity-check';

/**
 * The symmetrised Bregman divergence (Jeffreys-type; for φ = Σ x log x it is half the Jeffreys divergence,
 * Jeffreys 1946; see Nielsen & Nock 2009, "Sided and symmetrized Bregman centroids", IEEE Trans. Inf. Theory):
 *
 *   J_φ(x, y) = ½ (D_φ(x, y) + D_φ(y, x)) = ½ ⟨∇φ(x) − ∇φ(y), x − y⟩.
 *
 * φ's values cancel, so `pairwise(A, B)` needs ∇φ once per row and two matrix products:
 *
 *   J = ½ (rowsum(A ∘ ∇φ(A))1ᵀ − ∇φ(A)·Bᵀ − A·∇φ(B)ᵀ + 1·rowsum(B ∘ ∇φ(B))ᵀ).
 *
 * Symmetric, ≥ 0, and 0 on the diagonal; owns φ like {@link BregmanDivergence} (options are the same).
 */
export class JeffreysBregman implements Divergence {
  readonly type = 'JeffreysBregman';
  readonly symmetric = true;
  readonly generator: ConvexFunction;
  readonly validate: boolean;
  private readonly tolerance: { relative: number; absolute: number };
  private readonly toleranceOption: NegativityTolerance | undefined;

  constructor(generator: ConvexFunction, options: BregmanDivergenceOptions = {}) {
    checkGenerator('JeffreysBregman', generator);
    // Trained through, like BregmanDivergence.
    ensureGradients();
    this.generator = generator;
    this.validate = options.validate ?? false;
    this.toleranceOption = options.tolerance;
    this.tolerance = resolveTolerance('JeffreysBregman', options.tolerance);
  }

  get dim(): number {
    return this.generator.dim;
  }

  get trainableVariables(): tf.Variable[] {
    return this.generator.trainableVariables;
  }

  /** J_φ(A_i, B_j) for all pairs: [na, nb], owned by the caller. */
  pairwise(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
    const component = 'JeffreysBregman.pairwise';
    checkPair(component, a, b, { dim: this.dim });
    return tf.tidy(() => {
      const options = { validate: this.validate };
      const gb = this.generator.valueAndGrad(b, options).grad;
      const ga = a === b ? gb : this.generator.valueAndGrad(a, options).grad;
      const selfA = tf.reshape(tf.sum(tf.mul(a, ga), 1), [a.shape[0], 1]);
      const selfB = tf.reshape(tf.sum(tf.mul(b, gb), 1), [1, b.shape[0]]);
      const crossA = tf.matMul(ga, b, false, true); // ⟨∇φ(A_i), B_j⟩
      const crossB = tf.matMul(a, gb, false, true); // ⟨A_i, ∇φ(B_j)⟩
      const d = tf.mul(0.5, tf.sub(tf.add(selfA, selfB), tf.add(crossA, crossB))) as tf.Tensor2D;
      return clampDivergence(component, d, this.validate, this.tolerance, () =>
        tf.mul(0.5, tf.add(tf.add(tf.abs(selfA), tf.abs(selfB)), tf.add(tf.abs(crossA), tf.abs(crossB)))),
      );
    });
  }

  /** J_φ(A_i, B_i) for aligned rows: [n], owned by the caller. */
  paired(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor1D {
    const component = 'JeffreysBregman.paired';
    checkPair(component, a, b, { dim: this.dim, aligned: true });
    return tf.tidy(() => {
      const options = { validate: this.validate };
      const ga = this.generator.valueAndGrad(a, options).grad;
      const gb = this.generator.valueAndGrad(b, options).grad;
      const diff = tf.sub(a, b);
      const terms = tf.mul(tf.sub(ga, gb), diff);
      const d = tf.mul(0.5, tf.sum(terms, 1)) as tf.Tensor1D;
      return clampDivergence(component, d, this.validate, this.tolerance, () =>
        tf.mul(0.5, tf.sum(tf.add(tf.abs(tf.mul(ga, diff)), tf.abs(tf.mul(gb, diff))), 1)),
      );
    });
  }

  toJSON(): DivergenceJSON {
    const config: Record<string, unknown> = { generator: this.generator.toJSON(), validate: this.validate };
    if (this.toleranceOption !== undefined) config.tolerance = { ...this.toleranceOption };
    return { type: this.type, config };
  }

  dispose(): void {
    this.generator.dispose();
  }
}
