import * as tf from '@tensorflow/tfjs-core';
import { SeededRandom } from '@empirical-bregman/common';
import { BregmanCoreError } from './bregman-core-error';
import { bregmanGeneratorOf } from './bregman-generator-of';
import { checkMatrix } from './check-inputs';
import type { Divergence } from './divergence';

export interface BregmanKMeansOptions {
  /** Number of clusters k (1 ≤ k ≤ n). */
  readonly k: number;
  /** Seed of the k-means++ draws (default 0): equal seeds give equal results. */
  readonly seed?: number | string;
  /** Independent k-means++ starts; the lowest objective wins (default 3). */
  readonly restarts?: number;
  /** Lloyd iteration cap per start (default 100). */
  readonly maxIterations?: number;
  /** Stop when the objective decreases by less than `tolerance` × objective in one iteration (default 1e-6). */
  readonly tolerance?: number;
  /** Rows of x per divergence evaluation, bounding memory at batchSize × k (default 16,384). */
  readonly batchSize?: number;
}

export interface BregmanKMeansResult {
  /** Cluster of each point, in [0, k). */
  readonly assignments: Int32Array;
  /** Cluster centres [k, d] (right-sided centroids, the means), owned by the caller. */
  readonly centroids: tf.Tensor2D;
  /** Σᵢ D(xᵢ, c_{assignment(i)}) of the returned solution. */
  readonly objective: number;
  /** Lloyd iterations of the winning start. */
  readonly iterations: number;
  /** True when the winning start stopped before `maxIterations` (assignments stable or objective flat). */
  readonly converged: boolean;
  /** Objective of every start, in order. */
  readonly restartObjectives: readonly number[];
}

/** D(X_batch, C) with per-centroid work shared across batches (φ(X) cached for Bregman divergences). */
interface Scorer {
  /** min_j D(x_i, c_j) and its argmin over all rows: reads back. */
  nearest(centroids: tf.Tensor2D): { index: Int32Array; value: Float32Array };
  dispose(): void;
}

function makeScorer(x: tf.Tensor2D, divergence: Divergence, batchSize: number): Scorer {
  const n = x.shape[0];
  const batches: tf.Tensor2D[] = [];
  for (let start = 0; start < n; start += batchSize) {
    batches.push(tf.slice(x, [start, 0], [Math.min(batchSize, n - start), -1]) as tf.Tensor2D);
  }
  // Bregman fast path: D(x, c) = φ(x) − φ(c) − ⟨x, ∇φ(c)⟩ + ⟨c, ∇φ(c)⟩, φ(x) computed once for all iterations.
  const phi = bregmanGeneratorOf(divergence);
  const phiX =
    phi === null
      ? []
      : batches.map((b) =>
          tf.tidy(() => tf.reshape(phi.valueAndGrad(b, { validate: false }).value, [-1, 1]) as tf.Tensor2D),
        );
  // Squared Euclidean fast path (plain k-means): ‖x‖² computed once, as squaredDistanceMatrix would compute it on each
  // call; the same operations in the same order, so the distances are the same to the bit. k-means++ seeding calls
  // `nearest` once per centre: on 1,000 raw 32 × 32 × 3 images with ~470 classes, recomputing ‖x‖² each time was 70%
  // of a whole training run.
  const normsX =
    phi === null && divergence.type === 'SquaredEuclideanDivergence'
      ? batches.map((b) => tf.tidy(() => tf.reshape(tf.sum(tf.square(b), 1), [-1, 1]) as tf.Tensor2D))
      : null;
  return {
    nearest(centroids) {
      const index = new Int32Array(n);
      const value = new Float32Array(n);
      tf.tidy(() => {
        let centre: { phi: tf.Tensor; grad: tf.Tensor2D; self: tf.Tensor } | null = null;
        if (phi !== null) {
          const r = phi.valueAndGrad(centroids, { validate: false });
          centre = {
            phi: tf.reshape(r.value, [1, -1]),
            grad: r.grad,
            self: tf.reshape(tf.sum(tf.mul(centroids, r.grad), 1), [1, -1]),
          };
        }
        let offset = 0;
        for (let b = 0; b < batches.length; b++) {
          const batch = batches[b];
          const [idx, val] = tf.tidy(() => {
            const d =
              normsX !== null
                ? squaredDistancesFrom(batch, normsX[b]!, centroids)
                : centre === null
                  ? divergence.pairwise(batch, centroids)
                  : tf.maximum(
                      tf.add(
                        tf.sub(tf.sub(phiX[b], centre.phi), tf.matMul(batch, centre.grad, false, true)),
                        centre.self,
                      ),
                      0,
                    );
            return [tf.argMin(d, 1), tf.min(d, 1)];
          });
          index.set(idx.dataSync() as Int32Array, offset);
          value.set(val.dataSync() as Float32Array, offset);
          offset += batch.shape[0];
          tf.dispose([idx, val]);
        }
      });
      return { index, value };
    },
    dispose() {
      tf.dispose([...batches, ...phiX, ...(normsX ?? [])]);
    },
  };
}

/** ‖a_i − c_j‖² from the rows' cached ‖a_i‖² ([n, 1]): squaredDistanceMatrix's formula and order of operations. */
function squaredDistancesFrom(a: tf.Tensor2D, normsA: tf.Tensor2D, c: tf.Tensor2D): tf.Tensor2D {
  const nc = tf.reshape(tf.sum(tf.square(c), 1), [1, c.shape[0]]);
  return tf.maximum(tf.sub(tf.add(normsA, nc), tf.mul(2, tf.matMul(a, c, false, true))), 0) as tf.Tensor2D;
}

function gatherRows(x: tf.Tensor2D, rows: number[]): tf.Tensor2D {
  return tf.tidy(() => tf.gather(x, tf.tensor1d(rows, 'int32')) as tf.Tensor2D);
}

/** k-means++ seeding under D (Arthur & Vassilvitskii 2007; Banerjee et al. 2005 for Bregman divergences). */
function seedCentroids(x: tf.Tensor2D, scorer: Scorer, k: number, rng: SeededRandom): tf.Tensor2D {
  const n = x.shape[0];
  const chosen = [rng.int(n)];
  const best = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
  while (chosen.length < k) {
    const last = gatherRows(x, [chosen[chosen.length - 1]]);
    const { value } = scorer.nearest(last);
    last.dispose();
    let total = 0;
    for (let i = 0; i < n; i++) {
      const v = Number.isFinite(value[i]) ? Math.max(0, value[i]) : 0;
      if (v < best[i]) best[i] = v;
      total += best[i];
    }
    let pick = -1;
    if (total > 0) {
      let r = rng.next() * total;
      for (let i = 0; i < n; i++) {
        r -= best[i];
        if (r < 0 && best[i] > 0) {
          pick = i;
          break;
        }
      }
      if (pick < 0) for (let i = n - 1; i >= 0 && pick < 0; i--) if (best[i] > 0) pick = i;
    }
    if (pick < 0) pick = rng.int(n); // every point coincides with a centre: any point will do.
    chosen.push(pick);
  }
  return gatherRows(x, chosen);
}

/** Means of the clusters; an empty cluster takes the point farthest from its centre (not yet taken). */
function updateCentroids(x: tf.Tensor2D, assignments: Int32Array, distances: Float32Array, k: number): tf.Tensor2D {
  const counts = new Float64Array(k);
  for (const a of assignments) counts[a] += 1;
  const empty: number[] = [];
  for (let j = 0; j < k; j++) if (counts[j] === 0) empty.push(j);
  const replacements: number[] = [];
  if (empty.length > 0) {
    const order = Array.from(distances.keys()).sort((a, b) => distances[b] - distances[a]);
    for (let e = 0; e < empty.length; e++) replacements.push(order[e]);
  }
  return tf.tidy(() => {
    const oneHot = tf.cast(tf.oneHot(tf.tensor1d(assignments, 'int32'), k), 'float32');
    const sums = tf.matMul(oneHot, x, true, false);
    const inv = tf.tensor2d(
      Array.from(counts, (c) => (c > 0 ? 1 / c : 0)),
      [k, 1],
    );
    let means = tf.mul(sums, inv) as tf.Tensor2D;
    if (empty.length > 0) {
      const rows = gatherRows(x, replacements);
      const mask = tf.tensor2d(
        Array.from({ length: k }, (_, j) => (counts[j] === 0 ? 1 : 0)),
        [k, 1],
      );
      const scatter = tf.tensor2d(
        Array.from({ length: k }, (_, j) => empty.map((e) => (e === j ? 1 : 0))),
        [k, empty.length],
      );
      means = tf.add(tf.mul(means, tf.sub(1, mask)), tf.matMul(scatter, rows)) as tf.Tensor2D;
    }
    return means;
  });
}

/**
 * Bregman hard clustering (Banerjee, Merugu, Dhillon & Ghosh 2005, "Clustering with Bregman divergences", JMLR 6,
 * Algorithm 1): k-means++ seeding under D (Arthur & Vassilvitskii 2007), then Lloyd iterations
 *
 *   assign  a(i) = argmin_j D(xᵢ, c_j)     (points in the left slot),
 *   update  c_j = mean{xᵢ : a(i) = j}       (the right-sided centroid, exact for every Bregman divergence),
 *
 * which never increase Σᵢ D(xᵢ, c_{a(i)}). Several seeded restarts; the best objective wins. For a
 * `BregmanDivergence`, φ(X) is computed once and each iteration costs one [n, d]·[d, k] product; other divergences
 * are evaluated through `pairwise` in batches (for non-Bregman ones such as Euclidean or cosine the mean is only a
 * heuristic centre). Reads assignments back each iteration: an analysis tool, not a training step.
 *
 * ```ts
 * const { assignments, centroids, objective } = bregmanKMeans(x, new BregmanDivergence(new NegativeEntropy({ dim })), { k: 10, seed: 1 });
 * centroids.dispose();
 * ```
 */
export function bregmanKMeans(
  x: tf.Tensor2D,
  divergence: Divergence,
  options: BregmanKMeansOptions,
): BregmanKMeansResult {
  const component = 'bregmanKMeans';
  checkMatrix(component, 'x', x, divergence.dim);
  const n = x.shape[0];
  const k = options?.k;
  if (!Number.isInteger(k) || k < 1 || k > n) {
    throw new BregmanCoreError(component, 'INVALID_ARGUMENT', `expected an integer k in [1, n = ${n}], got ${k}`);
  }
  const restarts = options.restarts ?? 3;
  const maxIterations = options.maxIterations ?? 100;
  const tolerance = options.tolerance ?? 1e-6;
  const batchSize = options.batchSize ?? 16384;
  for (const [name, value, min] of [
    ['restarts', restarts, 1],
    ['maxIterations', maxIterations, 1],
    ['batchSize', batchSize, 1],
  ] as const) {
    if (!Number.isInteger(value) || value < min) {
      throw new BregmanCoreError(
        component,
        'INVALID_ARGUMENT',
        `expected ${name} to be an integer >= ${min}, got ${value}`,
      );
    }
  }
  if (!(tolerance >= 0)) {
    throw new BregmanCoreError(component, 'INVALID_ARGUMENT', `expected tolerance >= 0, got ${tolerance}`);
  }
  const rng = new SeededRandom(options.seed ?? 0);
  const scorer = makeScorer(x, divergence, batchSize);
  let best: Omit<BregmanKMeansResult, 'restartObjectives'> | null = null;
  const restartObjectives: number[] = [];
  try {
    for (let r = 0; r < restarts; r++) {
      let centroids = seedCentroids(x, scorer, k, rng.fork(`restart-${r}`));
      let previous: Int32Array | null = null;
      let previousObjective = Number.POSITIVE_INFINITY;
      let iterations = 0;
      let converged = false;
      let assignments: Int32Array = new Int32Array(n);
      let objective = 0;
      for (;;) {
        const near = scorer.nearest(centroids);
        assignments = near.index;
        objective = 0;
        for (const v of near.value) objective += v;
        if (!Number.isFinite(objective)) {
          centroids.dispose();
          throw new BregmanCoreError(
            component,
            'NON_FINITE',
            `expected finite divergences between points and centres, got an objective of ${objective} (points outside the generator's domain?)`,
          );
        }
        const stable = previous?.every((a, i) => a === assignments[i]) === true;
        const flat = previousObjective - objective <= tolerance * Math.abs(objective);
        if (stable || (previous !== null && flat)) {
          converged = true;
          break;
        }
        if (iterations >= maxIterations) break;
        const next = updateCentroids(x, assignments, near.value, k);
        centroids.dispose();
        centroids = next;
        previous = assignments;
        previousObjective = objective;
        iterations++;
      }
      restartObjectives.push(objective);
      if (best === null || objective < best.objective) {
        best?.centroids.dispose();
        best = { assignments, centroids, objective, iterations, converged };
      } else {
        centroids.dispose();
      }
    }
  } catch (error) {
    best?.centroids.dispose();
    throw error;
  } finally {
    scorer.dispose();
  }
  return { ...(best as Omit<BregmanKMeansResult, 'restartObjectives'>), restartObjectives };
}
