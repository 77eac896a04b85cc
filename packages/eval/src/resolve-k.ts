import { describeValue } from '@empirical-bregman/common';
import { checkLabels, countLabels } from './check-labels';
import { EvaluationError } from './evaluation-error';

/**
 * How many neighbours to retrieve, as PML's `AccuracyCalculator(k=…)`:
 * - `'max_bin_count'`: the largest number of references sharing a query's label (minus 1 when the references
 *   include the queries), the smallest k for which R-precision and MAP@R are exact;
 * - `'all'`: the whole reference set (PML's `k=None`; memory O(nq · nr), avoid on large sets);
 * - a number: that many (must not exceed the references available to a query).
 */
export type KSpec = number | 'max_bin_count' | 'all';

/**
 * Resolves a {@link KSpec} to a number of neighbours ≥ 1.
 *
 * @param k the requested k.
 * @param queryLabels class of each query.
 * @param referenceLabels class of each reference.
 * @param referenceIncludesQueries query i is reference i (its self-match is not a neighbour).
 */
export function resolveK(
  k: KSpec,
  queryLabels: Int32Array,
  referenceLabels: Int32Array,
  referenceIncludesQueries = false,
): number {
  const component = 'resolveK';
  checkLabels(component, 'queryLabels', queryLabels);
  checkLabels(component, 'referenceLabels', referenceLabels);
  const self = referenceIncludesQueries ? 1 : 0;
  const available = referenceLabels.length - self;
  if (available < 1) {
    throw new EvaluationError(
      component,
      'INVALID_ARGUMENT',
      `expected at least one reference besides the query itself, got ${referenceLabels.length} references`,
    );
  }
  if (k === 'all') return available;
  if (k === 'max_bin_count') {
    const counts = countLabels(referenceLabels);
    let max = 0;
    for (const label of new Set(queryLabels)) max = Math.max(max, (counts.get(label) ?? 0) - self);
    return Math.min(Math.max(1, max), available);
  }
  if (typeof k !== 'number' || !Number.isInteger(k) || k < 1) {
    throw new EvaluationError(
      component,
      'INVALID_ARGUMENT',
      `expected k to be a positive integer, 'max_bin_count' or 'all', got ${describeValue(k)}`,
    );
  }
  if (k > available) {
    throw new EvaluationError(
      component,
      'INVALID_ARGUMENT',
      `expected k ≤ ${available} (the references available to each query), got k = ${k}`,
    );
  }
  return k;
}
