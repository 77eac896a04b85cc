import { describeValue } from '@empirical-bregman/common';
import { ModelError } from './model-error';

/** A labelled validation pair: its divergence and whether its two items share a class. */
export interface ThresholdPair {
  readonly divergence: number;
  readonly same: boolean;
}

/** The threshold {@link chooseThreshold} found, with what it gives on the pairs. */
export interface ThresholdChoice {
  /** Pairs with D ≤ threshold are called "same class" (`index.match(queries, threshold)` uses the same ≤). */
  readonly threshold: number;
  /** Same-class pairs among those with D ≤ threshold. */
  readonly precision: number;
  /** Share of all same-class pairs that have D ≤ threshold. */
  readonly recall: number;
  /** Number of pairs with D ≤ threshold. */
  readonly accepted: number;
}

/**
 * The largest threshold whose precision on labelled validation pairs reaches `targetPrecision`, for matching by
 * "D ≤ threshold means same class" (TF-Similarity's calibration, as a plain function).
 *
 * The rule: the candidate thresholds are the pairs' distinct divergence values t; at t the accepted pairs are all
 * those with D ≤ t, so pairs with equal divergences (ties) are always accepted or rejected together; precision(t) =
 * same-class accepted / accepted. The answer is the largest candidate t with precision(t) ≥ targetPrecision
 * (precision is not monotone in t, so a smaller t may miss the target while a larger one meets it: the largest
 * one that meets it is returned, not the end of the first run). Any value in [t, next larger divergence) accepts
 * the same pairs; t itself is returned. `null` when no candidate reaches the target, and for no pairs (empty is
 * normal, not an error).
 *
 * ```ts
 * chooseThreshold(
 *   [{ divergence: 0.1, same: true }, { divergence: 0.2, same: true }, { divergence: 0.3, same: false }],
 *   { targetPrecision: 0.9 },
 * ); // { threshold: 0.2, precision: 1, recall: 1, accepted: 2 }
 * ```
 *
 * @param pairs validation pairs (e.g. from `index.search` on labelled queries); divergences must be finite.
 * @param options.targetPrecision the precision to reach, in [0, 1].
 */
export function chooseThreshold(
  pairs: readonly ThresholdPair[],
  options: { readonly targetPrecision: number },
): ThresholdChoice | null {
  const component = 'chooseThreshold';
  const target = options?.targetPrecision;
  if (typeof target !== 'number' || !(target >= 0 && target <= 1)) {
    throw new ModelError(
      component,
      'INVALID_ARGUMENT',
      `expected targetPrecision in [0, 1], got ${describeValue(target)}`,
    );
  }
  if (!Array.isArray(pairs)) {
    throw new ModelError(
      component,
      'INVALID_ARGUMENT',
      `expected an array of { divergence, same }, got ${describeValue(pairs)}`,
    );
  }
  pairs.forEach((p, i) => {
    if (p === null || typeof p !== 'object' || typeof p.same !== 'boolean' || !Number.isFinite(p.divergence)) {
      throw new ModelError(
        component,
        'INVALID_ARGUMENT',
        `expected pairs[${i}] to be { divergence: a finite number, same: a boolean }, got ${describeValue(p)}`,
      );
    }
  });
  const sorted = [...pairs].sort((a, b) => a.divergence - b.divergence);
  const positives = sorted.reduce((n, p) => n + (p.same ? 1 : 0), 0);
  let best: ThresholdChoice | null = null;
  let accepted = 0;
  let same = 0;
  for (let i = 0; i < sorted.length; i++) {
    accepted++;
    if (sorted[i]!.same) same++;
    // Only at the last pair of a run of equal divergences: ties are accepted together.
    if (i + 1 < sorted.length && sorted[i + 1]!.divergence === sorted[i]!.divergence) continue;
    const precision = same / accepted;
    if (precision >= target) {
      best = { threshold: sorted[i]!.divergence, precision, recall: positives === 0 ? 0 : same / positives, accepted };
    }
  }
  return best;
}
