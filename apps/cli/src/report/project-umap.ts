import { SeededRandom } from '@empirical-bregman/common';
import { UMAP } from 'umap-js';
import type { Projection2D } from './report-data';
import { ReportError } from './report-error';

export interface ProjectUmapOptions {
  /** Seed of the subsampling and of every random draw UMAP makes (initialisation, NN-descent, negative samples). */
  readonly seed: number;
  /** UMAP's k of the k-nearest-neighbour graph (default 15, capped at the number of points − 1). */
  readonly nNeighbors?: number;
  /** At most this many embeddings are projected, chosen uniformly at random without replacement (default 1000). */
  readonly maxPoints?: number;
  /** Class of each of the n embeddings, carried over to the kept points (default all 0). */
  readonly labels?: ArrayLike<number>;
  /** Optimisation epochs (default: umap-js's choice, 500 for up to 2,500 points). */
  readonly nEpochs?: number;
}

/**
 * A 2-D UMAP projection of n embeddings of width `dim` (row-major in `embeddings`) for the report's scatter plot
 * (McInnes, Healy & Melville, "UMAP: Uniform Manifold Approximation and Projection", 2018; umap-js). Deterministic
 * for a seed: the subsample (sorted by index, listed in `indices`) and every draw of UMAP come from one
 * {@link SeededRandom}. With fewer than 3 points no graph can be built and the points are laid on a line.
 *
 * ```ts
 * const projection = projectUmap(testEmbeddings, n, 64, { seed: 1, labels: testLabels });
 * ```
 */
export function projectUmap(
  embeddings: Float32Array,
  n: number,
  dim: number,
  options: ProjectUmapOptions,
): Projection2D {
  if (!Number.isInteger(n) || n < 0 || !Number.isInteger(dim) || dim <= 0) {
    throw new ReportError(
      'projectUmap',
      'INVALID_ARGUMENT',
      `expected integers n ≥ 0 and dim ≥ 1, got n = ${n}, dim = ${dim}`,
    );
  }
  if (embeddings.length < n * dim) {
    throw new ReportError(
      'projectUmap',
      'INVALID_SHAPE',
      `expected at least n·dim = ${n * dim} values, got ${embeddings.length}`,
    );
  }
  if (options.labels && options.labels.length !== n) {
    throw new ReportError('projectUmap', 'INVALID_SHAPE', `expected ${n} labels, got ${options.labels.length}`);
  }
  const maxPoints = options.maxPoints ?? 1000;
  if (!Number.isInteger(maxPoints) || maxPoints < 1) {
    throw new ReportError('projectUmap', 'INVALID_ARGUMENT', `expected maxPoints a positive integer, got ${maxPoints}`);
  }
  const rng = new SeededRandom(options.seed);
  const subsample = rng.fork('subsample');
  const umapRandom = rng.fork('umap');
  const indices =
    n > maxPoints ? Array.from(subsample.sample(n, maxPoints)).sort((a, b) => a - b) : [...Array(n).keys()];
  const m = indices.length;
  const labels = indices.map((i) => (options.labels ? options.labels[i] : 0));
  const method = `UMAP (umap-js), ${m.toLocaleString('en-US')} of ${n.toLocaleString('en-US')} embeddings, seed ${options.seed}`;
  if (m < 3) return { x: indices.map((_, k) => k), y: indices.map(() => 0), labels, method, indices };
  const rows = indices.map((i) => Array.from(embeddings.subarray(i * dim, (i + 1) * dim)));
  const nNeighbors = Math.max(2, Math.min(options.nNeighbors ?? 15, m - 1));
  const umap = new UMAP({
    nComponents: 2,
    nNeighbors,
    random: () => umapRandom.next(),
    ...(options.nEpochs !== undefined ? { nEpochs: options.nEpochs } : {}),
  });
  const points = umap.fit(rows);
  return { x: points.map((p) => p[0]), y: points.map((p) => p[1]), labels, method, indices };
}
