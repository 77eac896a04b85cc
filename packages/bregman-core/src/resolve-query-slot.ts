import { describeValue } from '@empirical-bregman/common';
import { BregmanCoreError } from './bregman-core-error';
import type { QuerySlot } from './divergence';

/**
 * The query slot of an options object that takes `querySlot` and, for a while, an older name for it (`queryIn` in
 * search and eval, `anchorSlot` in losses): the one given, default `'left'`. Both given must agree; anything but
 * `'left'` or `'right'` is refused, naming the option as the caller spelled it. One implementation for every
 * package that takes a query slot.
 *
 * ```ts
 * resolveQuerySlot('exactKnn', options.querySlot, { name: 'queryIn', value: options.queryIn }); // 'left' | 'right'
 * ```
 */
export function resolveQuerySlot(
  component: string,
  querySlot: unknown,
  deprecated?: { readonly name: string; readonly value: unknown },
): QuerySlot {
  const old = deprecated?.value;
  if (querySlot !== undefined && old !== undefined && querySlot !== old) {
    throw new BregmanCoreError(
      component,
      'INVALID_ARGUMENT',
      `expected querySlot and its deprecated alias ${deprecated!.name} to agree, got ${describeValue(querySlot)} and ${describeValue(old)}`,
    );
  }
  const [name, slot] = querySlot !== undefined ? ['querySlot', querySlot] : [deprecated?.name ?? 'querySlot', old];
  if (slot === undefined) return 'left';
  if (slot === 'left' || slot === 'right') return slot;
  throw new BregmanCoreError(
    component,
    'INVALID_ARGUMENT',
    `expected ${name} 'left' or 'right', got ${describeValue(slot)}`,
  );
}
