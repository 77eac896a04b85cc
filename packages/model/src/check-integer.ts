import { integerRangeProblem } from '@empirical-bregman/common';
import { ModelError } from './model-error';

/** Throws `INVALID_ARGUMENT` unless `value` is an integer in [min, max]. Internal. */
export function checkInteger(component: string, name: string, value: unknown, min: number, max = Infinity): number {
  const problem = integerRangeProblem(name, value, min, max);
  if (problem) throw new ModelError(component, 'INVALID_ARGUMENT', problem);
  return value as number;
}
