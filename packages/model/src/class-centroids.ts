import { distinctLabels } from './labels';
import * as tf from '@tensorflow/tfjs-core';
import { type Divergence, type QuerySlot, bregmanGeneratorOf, leftCentroid } from '@empirical-bregman/bregman-core';

/**
 * One centroid per class of an index's items, in the slot of D the items take, so that D(query, centroid) (or
 * D(centroid, query)) is the divergence a query has to the class as a whole.
 */
export interface ClassCentroids {
  /** The class labels, ascending: column c of every per-class array stands for `classes[c]`. */
  readonly classes: Int32Array;
  /** Items per class (for priors π_c ∝ count_c). */
  readonly counts: Int32Array;
  /** [C · embeddingDim], row-major: class c's centroid. */
  readonly centroids: Float32Array;
  /** The query slot these centroids are for; the centroids take the other slot. */
  readonly slot: QuerySlot;
  /**
   * How they were computed: `'mean'` (the exact minimiser of Σ D_φ(xᵢ, μ) for a Bregman head with μ in the right
   * slot; for squared Euclidean in either slot; for other non-Bregman heads a stand-in, not a minimiser), or
   * `'left-bregman'` (the left Bregman centroid ∇φ*(mean ∇φ(xᵢ)), the minimiser of Σ D_φ(μ, xᵢ)).
   */
  readonly method: 'mean' | 'left-bregman';
  /** False when a numeric left centroid stopped before its tolerance (see bregman-core's `leftCentroid`). */
  readonly converged: boolean;
}

/**
 * The classes' Bregman centroids in embedding space (Banerjee et al. 2005, Prop. 1; Nielsen & Nock 2009).
 * Query slot `'left'` ranks items y by D(q, y): the centroid takes the right slot, and argmin_μ Σᵢ D_φ(xᵢ, μ) is the
 * arithmetic mean for every φ. Query slot `'right'` ranks by D(y, q): the centroid takes the left slot, and
 * argmin_μ Σᵢ D_φ(μ, xᵢ) = ∇φ*(mean ∇φ(xᵢ)) (bregman-core's `leftCentroid`: closed form through φ's conjugate, else a
 * numeric solve). A head that is not a Bregman divergence (no `bregmanGenerator`) gets the mean in both slots, which
 * minimises Σ ‖xᵢ − μ‖² but is only a stand-in for Euclidean, cosine or Jeffreys. The mean is computed in float64.
 * No tensor outlives the call. `index.classCentroids(slot)` is this on the index's items (cached); the CLI's
 * training-time calibration calls it on the training embeddings, so both fit their probabilities against the same
 * centroids and priors.
 *
 * ```ts
 * const { classes, counts, centroids } = await classCentroids(model.head, embeddings, labels, model.embeddingDim, 'left');
 * ```
 */
export async function classCentroids(
  head: Divergence,
  embeddings: Float32Array,
  labels: Int32Array,
  dim: number,
  slot: QuerySlot,
): Promise<ClassCentroids> {
  const classes = distinctLabels(labels);
  const C = classes.length;
  const column = new Map<number, number>();
  for (let j = 0; j < classes.length; j++) column.set(classes[j]!, j);
  const counts = new Int32Array(C);
  const sums = new Float64Array(C * dim);
  for (let i = 0; i < labels.length; i++) {
    const j = column.get(labels[i]!)!;
    counts[j]!++;
    for (let t = 0; t < dim; t++) sums[j * dim + t]! += embeddings[i * dim + t]!;
  }
  const centroids = new Float32Array(C * dim);
  for (let j = 0; j < C; j++) for (let t = 0; t < dim; t++) centroids[j * dim + t] = sums[j * dim + t]! / counts[j]!;

  const generator = bregmanGeneratorOf(head);
  if (slot === 'left' || generator === null) {
    return { classes, counts, centroids, slot, method: 'mean', converged: true };
  }
  let converged = true;
  for (let j = 0; j < C; j++) {
    const rows = new Float32Array(counts[j]! * dim);
    let r = 0;
    for (let i = 0; i < labels.length; i++) {
      if (labels[i] === classes[j]) rows.set(embeddings.subarray(i * dim, (i + 1) * dim), dim * r++);
    }
    const x = tf.tensor2d(rows, [counts[j]!, dim]);
    try {
      const result = leftCentroid(generator, x);
      try {
        centroids.set((await result.centroid.data()) as Float32Array, j * dim);
      } finally {
        result.centroid.dispose();
      }
      converged &&= result.converged;
    } finally {
      x.dispose();
    }
  }
  return { classes, counts, centroids, slot, method: 'left-bregman', converged };
}
