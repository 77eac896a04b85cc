import { describeValue } from '@empirical-bregman/common';
import { ModelError } from './model-error';

/** Throws `INVALID_ARGUMENT` unless `value` is an integer in [min, max]. Internal. */
export function checkInteger(component: string, name: string, value: unknown, min: number, max = Infinity): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Infinity ? `an integer ≥ ${min}` : `an integer in [${min}, ${max}]`;
    throw new ModelError(component, 'INVALID_ARGUMENT', `expected ${name} to be ${range}, got ${describeValue(value)}`);
  }
  return value;
}
