import { describeValue } from '@empirical-bregman/common';
import { EvaluationError } from './evaluation-error';
import { centroidPosterior, checkCentroidDivergences } from './centroid-posterior';
import { pairMetrics } from './pair-metrics';

function check(component: string, positives: ArrayLike<number>, negatives: ArrayLike<number>): void {
  for (const [name, values] of [
    ['positives', positives],
    ['negatives', negatives],
  ] as const) {
    if (values.length === 0)
      throw new EvaluationError(component, 'INVALID_ARGUMENT', `expected non-empty ${name}, got none`);
    for (let i = 0; i < values.length; i++)
      if (Number.isNaN(values[i]!))
        throw new EvaluationError(component, 'NON_FINITE', `expected ${name} scores, got NaN at ${i}`);
  }
}

/**
 * Area under the ROC curve of a detector whose score is higher for `positives` than for `negatives`: the probability
 * that a random positive outscores a random negative, ties counted ½ (the Mann–Whitney U statistic over
 * n₊·n₋, as scikit-learn's `roc_auc_score`). For unseen-class detection the positives are the items of unseen classes
 * and the score is, e.g., the minimum divergence to a class centroid.
 *
 * ```ts
 * rocAuc([3, 2], [1, 2]); // (1 + 1 + 1 + ½) / 4 = 0.875
 * ```
 */
export function rocAuc(positives: ArrayLike<number>, negatives: ArrayLike<number>): number {
  check('rocAuc', positives, negatives);
  // pairMetrics' AUC (its tie groups count ½) with −score as the "divergence" and the positives as same-class.
  const m = positives.length + negatives.length;
  const scores = new Float64Array(m);
  const positive = new Uint8Array(m);
  for (let i = 0; i < positives.length; i++) {
    scores[i] = -positives[i]!;
    positive[i] = 1;
  }
  for (let i = 0; i < negatives.length; i++) scores[positives.length + i] = -negatives[i]!;
  return pairMetrics(scores, positive).rocAuc;
}

/**
 * False-positive rate at the first threshold (scanning scores from high to low) where the true-positive rate reaches
 * `tpr` (default 0.95): the fraction of negatives scoring ≥ t, for the largest t with ≥ 95% of positives scoring ≥ t.
 * Ties enter together, so a detector with many equal scores is charged for all of them.
 *
 * ```ts
 * fprAtTpr([5, 4, 3, 2], [4.5, 1], 0.75); // t = 3: positives 3/4, negatives {4.5} → 0.5
 * ```
 */
export function fprAtTpr(positives: ArrayLike<number>, negatives: ArrayLike<number>, tpr = 0.95): number {
  check('fprAtTpr', positives, negatives);
  if (!(tpr > 0 && tpr <= 1))
    throw new EvaluationError('fprAtTpr', 'INVALID_ARGUMENT', `expected tpr in (0, 1], got ${describeValue(tpr)}`);
  const pos = Float64Array.from(positives).sort().reverse();
  const neg = Float64Array.from(negatives).sort().reverse();
  const needed = Math.ceil(tpr * pos.length - 1e-9);
  // The threshold: the needed-th highest positive score, with every tie at it included.
  const t = pos[needed - 1]!;
  let falsePositives = 0;
  while (falsePositives < neg.length && neg[falsePositives]! >= t) falsePositives++;
  return falsePositives / neg.length;
}

/** Per-item uncertainty scores from divergences to the known classes' centroids (see {@link centroidUncertainty}). */
export interface CentroidUncertainty {
  /** min_c D(z, μ_c): far from every known class → unseen. */
  readonly minDivergence: Float64Array;
  /** max_c p(c | x) of the centroid posterior at τ and π: low → unseen. */
  readonly maxPosterior: Float64Array;
  /** −τ · log Σ_c exp(−D(z, μ_c) / τ) (the free energy of Liu et al., NeurIPS 2020, over −D/τ as logits): high → unseen. */
  readonly energy: Float64Array;
}

/**
 * Three scores of how unlike every known class an item is, from its divergences to the C class centroids
 * (`divergences[i * C + c]` = D(z_i, μ_c), as for `centroidPosterior`): the minimum divergence, the maximum posterior
 * p(c | x) ∝ π_c · exp(−D / τ), and the energy −τ log Σ_c exp(−D_c / τ) (priors do not enter the energy). Each row is
 * computed with a stable log-sum-exp.
 *
 * ```ts
 * const s = centroidUncertainty(dToTrainCentroids, C, { temperature });
 * unseenDetection(seenRows(s.energy), unseenRows(s.energy)); // { auroc, fprAtTpr95 }
 * ```
 */
export function centroidUncertainty(
  divergences: ArrayLike<number>,
  numClasses: number,
  options: { readonly temperature?: number; readonly logPriors?: ArrayLike<number> } = {},
): CentroidUncertainty {
  const C = numClasses;
  const tau = checkCentroidDivergences('centroidUncertainty', divergences, C, options.temperature);
  const n = divergences.length / C;
  const posterior = centroidPosterior(divergences, C, { temperature: tau, logPriors: options.logPriors });
  const minDivergence = new Float64Array(n);
  const maxPosterior = new Float64Array(n);
  const energy = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let min = Number.POSITIVE_INFINITY;
    let maxP = 0;
    for (let c = 0; c < C; c++) {
      min = Math.min(min, divergences[i * C + c]!);
      maxP = Math.max(maxP, posterior[i * C + c]!);
    }
    // −τ log Σ exp(−D_c/τ) = min − τ log Σ exp(−(D_c − min)/τ): stable, and ≤ min.
    let sum = 0;
    for (let c = 0; c < C; c++) sum += Math.exp(-(divergences[i * C + c]! - min) / tau);
    minDivergence[i] = min;
    maxPosterior[i] = maxP;
    energy[i] = min - tau * Math.log(sum);
  }
  return { minDivergence, maxPosterior, energy };
}

/** How well a score separates unseen-class items from items of the known classes. */
export interface UnseenDetection {
  /** P(score of a random unseen item > score of a random seen item), ties ½. */
  readonly auroc: number;
  /**
   * The fraction of unseen items taken for seen when the threshold keeps 95% of the seen items (the "FPR at 95% TPR"
   * of out-of-distribution detection, Liang et al. 2018 / Hendrycks & Gimpel 2017, with the known classes as
   * positives). Lower is better.
   */
  readonly fprAtTpr95: number;
}

/**
 * AUROC and FPR at 95% TPR of a detector whose score is higher for unseen-class items (`unseen`) than for items of
 * the known classes (`seen`), e.g. `centroidUncertainty(…).energy`, or `1 − maxPosterior`.
 *
 * ```ts
 * unseenDetection([0.1, 0.2], [0.9, 0.15]); // { auroc: 0.75, fprAtTpr95: 0.5 }
 * ```
 */
export function unseenDetection(seen: ArrayLike<number>, unseen: ArrayLike<number>): UnseenDetection {
  const negate = (values: ArrayLike<number>) => Float64Array.from({ length: values.length }, (_, i) => -values[i]!);
  return { auroc: rocAuc(unseen, seen), fprAtTpr95: fprAtTpr(negate(seen), negate(unseen), 0.95) };
}
