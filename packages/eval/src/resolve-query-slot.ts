import type { QuerySlot } from '@empirical-bregman/bregman-core';
import { describeValue } from '@empirical-bregman/common';
import { EvaluationError } from './evaluation-error';

/**
 * `querySlot`, or its deprecated alias `queryIn` (default `'left'`); both given must agree. Checked here (not only in
 * search's `exactKnn`) so that errors name `evaluate`, and before the pair sample uses the slot. Internal.
 */
export function resolveQuerySlot(
  component: string,
  options: { readonly querySlot?: QuerySlot; readonly queryIn?: QuerySlot },
): QuerySlot {
  const { querySlot, queryIn } = options;
  if (querySlot !== undefined && queryIn !== undefined && querySlot !== queryIn) {
    throw new EvaluationError(
      component,
      'INVALID_ARGUMENT',
      `expected querySlot and its deprecated alias queryIn to agree, got ${describeValue(querySlot)} and ${describeValue(queryIn)}`,
    );
  }
  const slot = querySlot ?? queryIn ?? 'left';
  if (slot !== 'left' && slot !== 'right') {
    throw new EvaluationError(
      component,
      'INVALID_ARGUMENT',
      `expected querySlot 'left' or 'right', got ${describeValue(slot)}`,
    );
  }
  return slot;
}
