import { describeValue } from './errors';

/**
 * What is wrong with `value` as an integer option in [min, max] — `"expected k to be an integer in [1, 50], got 0"` —
 * or null when it is one. Each package throws it with its own error class, so the rule and its wording live here once.
 *
 * ```ts
 * const problem = integerRangeProblem('k', options.k, 1, size);
 * if (problem) throw new SearchError('exactKnn', 'INVALID_ARGUMENT', problem);
 * ```
 */
export function integerRangeProblem(name: string, value: unknown, min: number, max = Infinity): string | null {
  if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return null;
  const range = max === Infinity ? `an integer ≥ ${min}` : `an integer in [${min}, ${max}]`;
  return `expected ${name} to be ${range}, got ${describeValue(value)}`;
}
