import { ModelError } from './model-error';

/**
 * How much a neighbour's vote weighs: `'uniform'` (1 each, the default), or a function of its divergence to the
 * query and its rank (0 = nearest), returning a weight ≥ 0 (e.g. `(d) => 1 / (d + 1e-6)`).
 */
export type VoteWeights = 'uniform' | ((divergence: number, rank: number) => number);

/** k-NN votes per query row over C classes. */
export interface KnnVotes {
  /** The winning class per row (a label of `classes`); −1 for a row without any neighbour. */
  readonly labels: Int32Array;
  /** [rows · C], row-major: each class's share of the row's total vote weight (a row sums to 1; 0s if it has none). */
  readonly scores: Float32Array;
}

/**
 * Weighted k-NN vote: class c scores Σ_r w_r·[label_r = c] / Σ_r w_r over the row's neighbours r (nearest first;
 * missing neighbours, label < 0, are skipped). The winner is the class of largest score; among classes of equal
 * score, the one whose first vote is nearest (as eval's kNN accuracy breaks ties), so with k = 1 the winner is the
 * nearest neighbour's class. Internal.
 *
 * @param neighbourLabels [rows · k] the neighbours' labels, nearest first.
 * @param divergences [rows · k] their divergences to the query.
 * @param classes the C class labels the score columns stand for, ascending.
 */
export function knnVote(
  component: string,
  neighbourLabels: Int32Array,
  divergences: Float32Array,
  k: number,
  classes: Int32Array,
  weights: VoteWeights,
): KnnVotes {
  const C = classes.length;
  const rows = k === 0 ? 0 : neighbourLabels.length / k;
  const column = new Map<number, number>();
  for (let j = 0; j < classes.length; j++) column.set(classes[j]!, j);
  const labels = new Int32Array(rows).fill(-1);
  const scores = new Float32Array(rows * C);
  const sums = new Float64Array(C);
  const firstRank = new Int32Array(C);
  for (let i = 0; i < rows; i++) {
    sums.fill(0);
    firstRank.fill(k);
    let total = 0;
    for (let r = 0; r < k; r++) {
      const label = neighbourLabels[i * k + r]!;
      if (label < 0) continue;
      const j = column.get(label);
      if (j === undefined) continue;
      const w = weights === 'uniform' ? 1 : weights(divergences[i * k + r]!, r);
      if (!(w >= 0) || !Number.isFinite(w)) {
        throw new ModelError(component, 'INVALID_ARGUMENT', `expected vote weights ≥ 0, got ${w} for rank ${r}`);
      }
      sums[j]! += w;
      total += w;
      if (r < firstRank[j]!) firstRank[j] = r;
    }
    let best = -1;
    for (let j = 0; j < C; j++) {
      if (firstRank[j] === k) continue;
      if (best < 0 || sums[j]! > sums[best]! || (sums[j] === sums[best] && firstRank[j]! < firstRank[best]!)) best = j;
    }
    if (best >= 0) labels[i] = classes[best]!;
    if (total > 0) for (let j = 0; j < C; j++) scores[i * C + j] = sums[j]! / total;
  }
  return { labels, scores };
}
