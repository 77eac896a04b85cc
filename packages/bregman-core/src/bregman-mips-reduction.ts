import * as tf from '@tensorflow/tfjs-core';
import type { ConvexFunction } from '@empirical-bregman/convex-net';
import { BregmanCoreError } from './bregman-core-error';
import { checkMatrix, isTensor } from './check-inputs';
import type { QuerySlot } from './divergence';

export interface BregmanMipsReductionOptions {
  /** The query's slot in D (default `'left'`: items y ranked by D(q, y); `'right'`: items x by D(x, q)). */
  readonly querySlot?: QuerySlot;
}

/** Query vectors and the per-query offsets that turn a score back into a divergence: D = offset − score. */
export interface MipsQueries {
  /** [m, d + 1], owned by the caller. */
  readonly vectors: tf.Tensor2D;
  /** [m], owned by the caller. */
  readonly offsets: tf.Tensor1D;
}

/**
 * Exact reduction of Bregman nearest-neighbour search to maximum inner-product search (MIPS), so that any
 * inner-product index (brute force, a graph index, a vector database) serves Bregman retrieval. For a fixed query q:
 *
 * - query in the left slot, items y:  D(q, y) = φ(q) − ⟨[∇φ(y); φ(y) − ⟨∇φ(y), y⟩], [q; 1]⟩,
 *   so argmin_y D(q, y) = argmax_y score, database vector [∇φ(y); φ(y) − ⟨∇φ(y), y⟩], query [q; 1], offset φ(q);
 * - query in the right slot, items x: D(x, q) = ⟨∇φ(q), q⟩ − φ(q) − ⟨[x; φ(x)], [∇φ(q); −1]⟩,
 *   so argmin_x D(x, q) = argmax_x score, database vector [x; φ(x)], query [∇φ(q); −1], offset ⟨∇φ(q), q⟩ − φ(q).
 *
 * Both are exact rewritings of D_φ(x, y) = φ(x) − φ(y) − ⟨∇φ(y), x − y⟩ (the offset does not depend on the item, so
 * rankings agree exactly in exact arithmetic; in float32 up to near-ties). The scores are the same numbers as
 * `BregmanDivergence.pairwise(Q, R)` (left) or `pairwise(R, Q)ᵀ` (right), up to round-off. Graph indexes that
 * need a metric take the vectors through {@link mipsToNearestNeighbour}. (Cayton 2008, "Fast nearest neighbor
 * retrieval for Bregman divergences", ICML, for Bregman retrieval; Bachrach et al. 2014 for MIPS → NN.)
 *
 * ```ts
 * const mips = new BregmanMipsReduction(phi, { querySlot: 'left' });
 * const db = mips.databaseVectors(items);              // [n, d + 1], index these
 * const { vectors, offsets } = mips.queryVectors(queries);
 * const scores = tf.matMul(vectors, db, false, true);  // [m, n], larger is closer
 * const divergences = mips.divergences(scores, offsets); // D(q_i, y_j)
 * ```
 */
export class BregmanMipsReduction {
  readonly generator: ConvexFunction;
  readonly querySlot: QuerySlot;

  /** @param generator φ (not owned: the reduction never disposes it). */
  constructor(generator: ConvexFunction, options: BregmanMipsReductionOptions = {}) {
    const slot = options.querySlot ?? 'left';
    if (slot !== 'left' && slot !== 'right') {
      throw new BregmanCoreError(
        'BregmanMipsReduction',
        'INVALID_ARGUMENT',
        `expected querySlot 'left' or 'right', got ${JSON.stringify(slot)}`,
      );
    }
    this.generator = generator;
    this.querySlot = slot;
  }

  /** Width of the database and query vectors: d + 1. */
  get width(): number {
    return this.generator.dim + 1;
  }

  /** Database vectors for the items: [n, d + 1], owned by the caller. */
  databaseVectors(items: tf.Tensor2D): tf.Tensor2D {
    checkMatrix('BregmanMipsReduction.databaseVectors', 'items', items, this.generator.dim);
    return tf.tidy(() => {
      const { value, grad } = this.generator.valueAndGrad(items);
      const n = items.shape[0];
      if (this.querySlot === 'left') {
        const bias = tf.sub(value, tf.sum(tf.mul(grad, items), 1));
        return tf.concat([grad, tf.reshape(bias, [n, 1])], 1) as tf.Tensor2D;
      }
      return tf.concat([items, tf.reshape(value, [n, 1])], 1) as tf.Tensor2D;
    });
  }

  /** Query vectors [m, d + 1] and offsets [m] (D = offset − score), owned by the caller. */
  queryVectors(queries: tf.Tensor2D): MipsQueries {
    checkMatrix('BregmanMipsReduction.queryVectors', 'queries', queries, this.generator.dim);
    const [vectors, offsets] = tf.tidy(() => {
      const m = queries.shape[0];
      if (this.querySlot === 'left') {
        const { value } = this.generator.valueAndGrad(queries);
        return [tf.concat([queries, tf.ones([m, 1])], 1) as tf.Tensor2D, value];
      }
      const { value, grad } = this.generator.valueAndGrad(queries);
      const offset = tf.sub(tf.sum(tf.mul(grad, queries), 1), value) as tf.Tensor1D;
      return [tf.concat([grad, tf.fill([m, 1], -1)], 1) as tf.Tensor2D, offset];
    });
    return { vectors, offsets };
  }

  /**
   * Divergences from scores: D[i, j] = offsets[i] − scores[i, j], clamped at 0 like `pairwise` (scores [m, n] of
   * query i against item j; offsets [m]). Returns [m, n], owned by the caller.
   */
  divergences(scores: tf.Tensor2D, offsets: tf.Tensor1D): tf.Tensor2D {
    checkMatrix('BregmanMipsReduction.divergences', 'scores', scores);
    if (!isTensor(offsets) || offsets.rank !== 1 || offsets.shape[0] !== scores.shape[0]) {
      throw new BregmanCoreError(
        'BregmanMipsReduction.divergences',
        'INVALID_SHAPE',
        `expected offsets of shape [${scores.shape[0]}] (one per query row of scores), got ${isTensor(offsets) ? `[${offsets.shape.join(', ')}]` : String(offsets)}`,
      );
    }
    return tf.tidy(() => tf.maximum(tf.sub(tf.reshape(offsets, [-1, 1]), scores), 0) as tf.Tensor2D);
  }

  /** One divergence from one score (for results coming back from an external index): max(offset − score, 0). */
  static divergenceFromScore(score: number, offset: number): number {
    return Math.max(offset - score, 0);
  }
}
