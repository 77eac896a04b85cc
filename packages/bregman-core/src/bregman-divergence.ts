import * as tf from '@tensorflow/tfjs-core';
import type { ConvexFunction } from '@empirical-bregman/convex-net';
import { checkGenerator, checkPair } from './check-inputs';
import type { Divergence, DivergenceJSON } from './divergence';
import { clampDivergence, type NegativityTolerance, resolveTolerance } from './negativity-check';

export interface BregmanDivergenceOptions {
  /**
   * Read results back and report problems (default false, so training steps never synchronise): inputs outside
   * φ's domain or non-finite (checked by the generator), NaN/∞ divergences, and divergences below zero by more than
   * the tolerance. Tiny negatives from float round-off are always clamped to 0.
   */
  readonly validate?: boolean;
  /** How negative a divergence may be before `validate` reports it. */
  readonly tolerance?: NegativityTolerance;
}

/**
 * The Bregman divergence of a convex generator φ (Bregman 1967; Banerjee et al. 2005, "Clustering with Bregman
 * divergences", JMLR 6):
 *
 *   D_φ(x, y) = φ(x) − φ(y) − ⟨∇φ(y), x − y⟩ ≥ 0.
 *
 * Asymmetric in general: D_φ(x, y) ≠ D_φ(y, x). With φ = ½‖x‖² it is ½‖x − y‖², with φ = Σ x log x (negative
 * entropy) the generalised KL divergence Σ x log(x/y) − x + y, with φ = −Σ log x (Burg entropy) Itakura–Saito
 * Σ x/y − log(x/y) − 1, and with a learnable φ (an ICNN) a learned divergence (Siahkamari et al. 2020, "Learning to
 * approximate a Bregman divergence", NeurIPS; Cilingir et al. 2020, "Deep divergence learning", ICML).
 *
 * `pairwise(A, B)` evaluates φ and ∇φ once per row and builds the whole matrix with one matrix product:
 *
 *   D = φ(A)1ᵀ − 1φ(B)ᵀ − A·∇φ(B)ᵀ + 1·rowsum(B ∘ ∇φ(B))ᵀ,   D[i, j] = D_φ(A_i, B_j),
 *
 * never materialising an n × m × d tensor. Round-off below zero is clamped to 0 (see `validate`).
 *
 * The divergence owns φ: `dispose()` disposes it. Its `trainableVariables` are φ's.
 *
 * ```ts
 * const kl = new BregmanDivergence(new NegativeEntropy({ dim: 3 }));
 * const d = kl.pairwise(tf.tensor2d([[0.2, 0.3, 0.5]]), tf.tensor2d([[0.1, 0.1, 0.8], [0.3, 0.3, 0.4]])); // [1, 2]
 * ```
 */
export class BregmanDivergence implements Divergence {
  readonly type = 'BregmanDivergence';
  readonly symmetric = false;
  /** The generator φ. */
  readonly generator: ConvexFunction;
  readonly validate: boolean;
  private readonly tolerance: { relative: number; absolute: number };
  private readonly toleranceOption: NegativityTolerance | undefined;

  constructor(generator: ConvexFunction, options: BregmanDivergenceOptions = {}) {
    checkGenerator('BregmanDivergence', generator);
    this.generator = generator;
    this.validate = options.validate ?? false;
    this.toleranceOption = options.tolerance;
    this.tolerance = resolveTolerance('BregmanDivergence', options.tolerance);
  }

  get dim(): number {
    return this.generator.dim;
  }

  /** φ: this divergence is D_φ (see `Divergence.bregmanGenerator`). */
  get bregmanGenerator(): ConvexFunction {
    return this.generator;
  }

  get trainableVariables(): tf.Variable[] {
    return this.generator.trainableVariables;
  }

  /** D_φ(A_i, B_j) for all pairs: [na, nb], owned by the caller. One matMul; φ and ∇φ once per row. */
  pairwise(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
    const component = 'BregmanDivergence.pairwise';
    checkPair(component, a, b, { dim: this.dim });
    return tf.tidy(() => {
      const options = { validate: this.validate };
      const fb = this.generator.valueAndGrad(b, options);
      const fa = a === b ? fb : this.generator.valueAndGrad(a, options);
      const na = a.shape[0];
      const nb = b.shape[0];
      const phiA = tf.reshape(fa.value, [na, 1]);
      const phiB = tf.reshape(fb.value, [1, nb]);
      const cross = tf.matMul(a, fb.grad, false, true); // ⟨∇φ(B_j), A_i⟩
      const self = tf.reshape(tf.sum(tf.mul(b, fb.grad), 1), [1, nb]); // ⟨∇φ(B_j), B_j⟩
      const d = tf.add(tf.sub(tf.sub(phiA, phiB), cross), self) as tf.Tensor2D;
      return clampDivergence(component, d, this.validate, this.tolerance, () =>
        tf.add(tf.add(tf.abs(phiA), tf.abs(phiB)), tf.add(tf.abs(cross), tf.abs(self))),
      );
    });
  }

  /** D_φ(A_i, B_i) for aligned rows: [n], owned by the caller. */
  paired(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor1D {
    const component = 'BregmanDivergence.paired';
    checkPair(component, a, b, { dim: this.dim, aligned: true });
    return tf.tidy(() => {
      const options = { validate: this.validate };
      const fa = this.generator.valueAndGrad(a, options);
      const fb = this.generator.valueAndGrad(b, options);
      const cross = tf.sum(tf.mul(fb.grad, a), 1);
      const self = tf.sum(tf.mul(fb.grad, b), 1);
      const d = tf.add(tf.sub(tf.sub(fa.value, fb.value), cross), self) as tf.Tensor1D;
      return clampDivergence(component, d, this.validate, this.tolerance, () =>
        tf.add(tf.add(tf.abs(fa.value), tf.abs(fb.value)), tf.add(tf.abs(cross), tf.abs(self))),
      );
    });
  }

  toJSON(): DivergenceJSON {
    const config: Record<string, unknown> = { generator: this.generator.toJSON(), validate: this.validate };
    if (this.toleranceOption !== undefined) config.tolerance = { ...this.toleranceOption };
    return { type: this.type, config };
  }

  /** Disposes the generator's variables. */
  dispose(): void {
    this.generator.dispose();
  }
}
