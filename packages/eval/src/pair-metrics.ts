import { describeValue } from '@empirical-bregman/common';
import { EvaluationError } from './evaluation-error';

export interface PairMetrics {
  /** ROC-AUC of −D as a same-class score; NaN when the pairs are all of one kind. */
  readonly rocAuc: number;
  /** Average precision of −D as a same-class score; NaN when no pair is same-class. */
  readonly averagePrecision: number;
  /** Same-class pairs. */
  readonly numPositive: number;
  /** Different-class pairs. */
  readonly numNegative: number;
}

/**
 * How well a divergence separates same-class from different-class pairs, as a verification task: the score of a
 * pair is −D (smaller divergence = "same"). With P same-class and N different-class pairs,
 *
 * - ROC-AUC = (1/(P·N)) Σ_{p, n} ([D_p < D_n] + ½ [D_p = D_n])   (the Mann–Whitney statistic, ties count ½);
 * - AP = Σₜ (Rₜ − Rₜ₋₁) Pₜ over the distinct thresholds t in increasing D (tied pairs enter together), with
 *   Rₜ = TPₜ/P and Pₜ = TPₜ/(TPₜ + FPₜ): the step-wise area under the precision–recall curve, as scikit-learn's
 *   `average_precision_score`.
 *
 * ```ts
 * pairMetrics(new Float32Array([0.1, 0.4, 0.35, 0.8]), new Uint8Array([1, 0, 1, 0])); // rocAuc 0.75
 * ```
 *
 * @param divergences D of each pair.
 * @param sameClass 1 for a same-class pair, 0 otherwise (same length).
 */
export function pairMetrics(divergences: ArrayLike<number>, sameClass: Uint8Array): PairMetrics {
  const component = 'pairMetrics';
  if (!(sameClass instanceof Uint8Array) || sameClass.length !== divergences.length) {
    throw new EvaluationError(
      component,
      'INVALID_SHAPE',
      `expected sameClass to be a Uint8Array of length ${divergences.length}, got ${describeValue(sameClass)}`,
    );
  }
  const m = divergences.length;
  if (m === 0) throw new EvaluationError(component, 'INVALID_ARGUMENT', 'expected at least one pair, got none');
  const order = new Uint32Array(m);
  for (let t = 0; t < m; t++) {
    if (Number.isNaN(divergences[t])) {
      throw new EvaluationError(component, 'NON_FINITE', `expected divergences without NaN, got NaN at pair ${t}`);
    }
    order[t] = t;
  }
  order.sort((a, b) => divergences[a] - divergences[b] || a - b);
  let positives = 0;
  for (let t = 0; t < m; t++) if (sameClass[t] !== 0) positives++;
  const negatives = m - positives;

  let tp = 0;
  let fp = 0;
  let aucSum = 0; // Σ over positives of (# negatives with larger D + ½ # tied negatives)
  let ap = 0;
  let start = 0;
  while (start < m) {
    const d = divergences[order[start]];
    let end = start;
    let p = 0;
    let n = 0;
    while (end < m && divergences[order[end]] === d) {
      if (sameClass[order[end]] !== 0) p++;
      else n++;
      end++;
    }
    // Negatives strictly after this group: negatives − fp − n.
    aucSum += p * (negatives - fp - n) + 0.5 * p * n;
    const recallBefore = tp;
    tp += p;
    fp += n;
    if (p > 0) ap += ((tp - recallBefore) / positives) * (tp / (tp + fp));
    start = end;
  }
  return {
    rocAuc: positives > 0 && negatives > 0 ? aucSum / (positives * negatives) : Number.NaN,
    averagePrecision: positives > 0 ? ap : Number.NaN,
    numPositive: positives,
    numNegative: negatives,
  };
}
