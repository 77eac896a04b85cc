import * as tf from '@tensorflow/tfjs-core';
import { BregmanDivergence } from '@empirical-bregman/bregman-core';
import { SeededRandom } from '@empirical-bregman/common';
import { MaxAffineConvexFunction } from '@empirical-bregman/convex-net';

/**
 * Test-only: points where many divergences are exactly 0. Under a max-affine φ(x) = max_k (a_kᵀx + b_k),
 * D_φ(x, y) = φ(x) − a_{k(y)}ᵀx − b_{k(y)} is exactly 0 when x and y share φ's maximising piece, and at least the gap
 * between the best and second-best piece at x otherwise. Points are kept only where that gap is ≥ `minGap`, so every
 * non-zero D is far above float32 round-off: the expected order is known exactly, in float64.
 *
 * The caller disposes `points` and `divergence`.
 */
export function maxAffineTies(options: { n: number; dim: number; pieces: number; seed: string; minGap?: number }): {
  points: tf.Tensor2D;
  divergence: BregmanDivergence;
  /** φ's maximising piece of each point. */
  piece: Int32Array;
} {
  const { n, dim, pieces } = options;
  const minGap = options.minGap ?? 0.05;
  const phi = new MaxAffineConvexFunction({ dim, pieces, seed: 5 });
  const [slopesVar, interceptsVar] = phi.trainableVariables;
  const slopes = slopesVar!.dataSync();
  const intercepts = interceptsVar!.dataSync();
  const rng = new SeededRandom(options.seed);
  const values = new Float32Array(n * dim);
  const piece = new Int32Array(n);
  for (let kept = 0; kept < n; ) {
    const x = Float32Array.from(rng.normalArray(dim));
    let best = -1;
    let first = Number.NEGATIVE_INFINITY;
    let second = Number.NEGATIVE_INFINITY;
    for (let k = 0; k < pieces; k++) {
      let s = intercepts[k]!;
      for (let c = 0; c < dim; c++) s += slopes[k * dim + c]! * x[c]!;
      if (s > first) {
        second = first;
        first = s;
        best = k;
      } else if (s > second) second = s;
    }
    if (first - second < minGap) continue;
    values.set(x, kept * dim);
    piece[kept++] = best;
  }
  return { points: tf.tensor2d(values, [n, dim]), divergence: new BregmanDivergence(phi), piece };
}

/**
 * Checks one query's neighbour list (all other points, nearest first) against the known ties: first every point of
 * the query's piece, in index order, at D exactly 0; then the others, every D > 0. Returns a description of the
 * first violation, or null.
 */
export function checkTieOrder(
  query: number,
  piece: Int32Array,
  indices: Int32Array,
  distances: Float32Array,
): string | null {
  const zeros: number[] = [];
  for (let j = 0; j < piece.length; j++) if (j !== query && piece[j] === piece[query]) zeros.push(j);
  for (let r = 0; r < indices.length; r++) {
    if (r < zeros.length) {
      if (indices[r] !== zeros[r] || distances[r] !== 0)
        return `query ${query}, rank ${r}: expected reference ${zeros[r]} at D = 0, got ${indices[r]} at D = ${distances[r]}`;
    } else if (!(distances[r]! > 0)) {
      return `query ${query}, rank ${r}: expected D > 0 (another piece), got ${distances[r]} for reference ${indices[r]}`;
    }
  }
  return null;
}
