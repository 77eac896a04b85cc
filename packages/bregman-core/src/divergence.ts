import type * as tf from '@tensorflow/tfjs-core';
import type { ConvexFunction } from '@empirical-bregman/convex-net';

/** Everything needed to rebuild a divergence (`divergenceFromJSON` is the inverse of `toJSON`). */
export interface DivergenceJSON {
  /** Registry name, e.g. `'BregmanDivergence'`, `'SquaredEuclideanDivergence'`. */
  readonly type: string;
  /** Constructor options and nested parts (a Bregman divergence holds its generator's `ConvexFunctionJSON`). */
  readonly config: Record<string, unknown>;
}

/**
 * A divergence between embeddings, the "distance object" every loss, miner and metric takes.
 *
 * Conventions, the same everywhere in the project:
 * - **smaller is closer, always**;
 * - **`pairwise(A, B)[i, j] = D(A_i, B_j)`**: the first argument is always the left slot of D. Bregman divergences
 *   are asymmetric, so callers choose which set goes first (a retrieval with the query in the right slot is
 *   `pairwise(R, Q)` transposed);
 * - returned tensors belong to the caller, and are differentiable with respect to the inputs and to
 *   `trainableVariables`;
 * - D(x, x) = 0, with one stated exception: `CosineDivergence` has no direction for a zero row and gives it D = 1 to
 *   everything, itself included (with a zero gradient), rather than NaN;
 * - ask a divergence what it can do, never test its class with `instanceof` (an application may load an ESM and a
 *   CJS copy of this package): `bregmanGeneratorOf(d)` gives φ when d is a Bregman divergence D_φ. Custom divergences
 *   may omit the optional `bregmanGenerator`; they then simply take the general code paths.
 */
export interface Divergence {
  /** Registry name, as in `toJSON().type`. */
  readonly type: string;
  /** True when D(x, y) = D(y, x) for all x, y (then argument order does not matter). */
  readonly symmetric: boolean;
  /** Embedding dimension the divergence requires, or `null` when any width works (Euclidean, cosine). */
  readonly dim: number | null;
  /** D(A_i, B_j) for all pairs: [na, nb]. */
  pairwise(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D;
  /** D(A_i, B_i) for aligned rows: [n]. */
  paired(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor1D;
  /** Variables an optimiser should update with the embedding network (empty for fixed divergences). */
  readonly trainableVariables: tf.Variable[];
  /**
   * The generator φ, present iff D(x, y) = φ(x) − φ(y) − ⟨∇φ(y), x − y⟩ for this φ (a Bregman divergence D_φ).
   * Read it with {@link bregmanGeneratorOf}; searches use it for the exact reduction to inner products.
   */
  readonly bregmanGenerator?: ConvexFunction;
  toJSON(): DivergenceJSON;
  /** Frees variables owned by the divergence. */
  dispose(): void;
}

/**
 * Which argument slot of an asymmetric divergence the query (or anchor) takes: `'left'` ranks references r by
 * D(q, r) = `pairwise(Q, R)`, `'right'` by D(r, q) = `pairwise(R, Q)` transposed. The one name for this choice in
 * every package (`BregmanMipsReduction`, the losses and miners, search and evaluation).
 */
export type QuerySlot = 'left' | 'right';
