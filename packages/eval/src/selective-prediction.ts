import { EvaluationError } from './evaluation-error';

/** One point of a risk–coverage curve: the error rate among the `coverage` most confident items. */
export interface RiskCoveragePoint {
  /** Fraction of items kept (answered), in (0, 1]. */
  readonly coverage: number;
  /** Error rate among the kept items. */
  readonly risk: number;
}

export interface SelectivePrediction {
  /** One point per distinct confidence value, from the most confident group to all items. */
  readonly curve: RiskCoveragePoint[];
  /**
   * Area under the risk–coverage curve (Geifman, Uziel, El-Yaniv 2018): (1/n) Σ_k risk(k) over k = 1..n kept items,
   * lower is better. Items of equal confidence are kept in an unknown order: within such a group, risk(k) counts the
   * group's errors pro rata (their expected value over every order), so ties neither help nor hurt.
   */
  readonly aurc: number;
}

/**
 * Selective prediction: a model that may abstain on its least confident items. Sorts by `confidence` (higher first)
 * and reports the risk–coverage curve and its area (AURC). `correct[i]` says whether item i's prediction is right.
 *
 * ```ts
 * selectivePrediction([0.9, 0.8], [true, false]); // curve [{ coverage 0.5, risk 0 }, { coverage 1, risk 0.5 }], aurc 0.25
 * ```
 */
export function selectivePrediction(
  confidence: ArrayLike<number>,
  correct: ArrayLike<boolean | number>,
): SelectivePrediction {
  const component = 'selectivePrediction';
  const n = confidence.length;
  if (n === 0) throw new EvaluationError(component, 'INVALID_ARGUMENT', 'expected at least one item, got none');
  if (correct.length !== n)
    throw new EvaluationError(
      component,
      'INVALID_SHAPE',
      `expected one correctness flag per item (${n}), got ${correct.length}`,
    );
  const order = Array.from({ length: n }, (_, i) => i);
  for (const i of order)
    if (Number.isNaN(confidence[i]!))
      throw new EvaluationError(component, 'NON_FINITE', `expected confidence scores, got NaN at ${i}`);
  order.sort((a, b) => confidence[b]! - confidence[a]!);
  const curve: RiskCoveragePoint[] = [];
  let errorsBefore = 0;
  let area = 0;
  for (let start = 0; start < n; ) {
    let end = start;
    while (end + 1 < n && confidence[order[end + 1]!] === confidence[order[start]!]) end++;
    const size = end - start + 1;
    let groupErrors = 0;
    for (let j = start; j <= end; j++) groupErrors += correct[order[j]!] ? 0 : 1;
    for (let k = start + 1; k <= end + 1; k++) area += (errorsBefore + ((k - start) * groupErrors) / size) / k;
    errorsBefore += groupErrors;
    curve.push({ coverage: (end + 1) / n, risk: errorsBefore / (end + 1) });
    start = end + 1;
  }
  return { curve, aurc: area / n };
}
