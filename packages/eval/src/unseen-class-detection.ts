import { describeValue } from '@empirical-bregman/common';
import { EvaluationError } from './evaluation-error';
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
