import type { QuerySlot } from '@empirical-bregman/bregman-core';
import { describeValue } from '@empirical-bregman/common';
import { SearchError } from './search-error';

/**
 * The query slot of options that take `querySlot` and its deprecated alias `queryIn` (default `'left'`); both given
 * must agree. Internal.
 */
export function resolveQuerySlot(
  component: string,
  options: { readonly querySlot?: QuerySlot; readonly queryIn?: QuerySlot },
): QuerySlot {
  const { querySlot, queryIn } = options;
  if (querySlot !== undefined && queryIn !== undefined && querySlot !== queryIn) {
    throw new SearchError(
      component,
      'INVALID_ARGUMENT',
      `expected querySlot and its deprecated alias queryIn to agree, got ${describeValue(querySlot)} and ${describeValue(queryIn)}`,
    );
  }
  const slot = querySlot ?? queryIn ?? 'left';
  if (slot !== 'left' && slot !== 'right') {
    throw new SearchError(
      component,
      'INVALID_ARGUMENT',
      `expected querySlot 'left' or 'right', got ${describeValue(slot)}`,
    );
  }
  return slot;
}
