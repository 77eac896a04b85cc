import { describeValue, integerRangeProblem } from '@empirical-bregman/common';
import { EvaluationError } from './evaluation-error';

/** Throws unless `labels` is a non-empty `Int32Array` (of length `length` when given). Internal. */
export function checkLabels(component: string, name: string, labels: unknown, length?: number): Int32Array {
  if (!(labels instanceof Int32Array)) {
    throw new EvaluationError(
      component,
      'INVALID_ARGUMENT',
      `expected ${name} to be an Int32Array, got ${describeValue(labels)}`,
    );
  }
  if (labels.length === 0) {
    throw new EvaluationError(
      component,
      'INVALID_ARGUMENT',
      `expected ${name} to be non-empty, got an empty Int32Array`,
    );
  }
  if (length !== undefined && labels.length !== length) {
    throw new EvaluationError(
      component,
      'INVALID_SHAPE',
      `expected ${name} of length ${length} (one label per row), got length ${labels.length}`,
    );
  }
  return labels;
}

/** Throws unless `value` is an integer in [min, max]. Internal. */
export function checkInteger(component: string, name: string, value: unknown, min: number, max = Infinity): number {
  const problem = integerRangeProblem(name, value, min, max);
  if (problem) throw new EvaluationError(component, 'INVALID_ARGUMENT', problem);
  return value as number;
}

/** Counts of each label value: a Map label → count. Internal. */
export function countLabels(labels: Int32Array): Map<number, number> {
  const counts = new Map<number, number>();
  for (let i = 0; i < labels.length; i++) counts.set(labels[i], (counts.get(labels[i]) ?? 0) + 1);
  return counts;
}
