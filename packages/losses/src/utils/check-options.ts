import {
  type Divergence,
  type QuerySlot,
  SquaredEuclideanDivergence,
  resolveQuerySlot,
} from '@empirical-bregman/bregman-core';
import { describeValue } from '@empirical-bregman/common';
import { LossesError } from '../losses-error';

/**
 * Checks of the options losses and miners share (internal, not exported from the index): each returns the value to
 * use (with its default) or throws a {@link LossesError} naming the component and the option.
 */

/** The query slot from options that may use the deprecated name `anchorSlot` (default `'left'`). */
export function checkQuerySlot(
  component: string,
  options: { readonly querySlot?: unknown; readonly anchorSlot?: unknown } | undefined,
): QuerySlot {
  return resolveQuerySlot(component, options?.querySlot, { name: 'anchorSlot', value: options?.anchorSlot });
}

export function checkDivergence(component: string, divergence: unknown): Divergence {
  if (divergence === undefined) return new SquaredEuclideanDivergence();
  const d = divergence as Partial<Divergence> | null;
  if (d === null || typeof d !== 'object' || typeof d.pairwise !== 'function' || typeof d.paired !== 'function') {
    throw new LossesError(
      component,
      'INVALID_ARGUMENT',
      `expected a Divergence (with pairwise and paired), got ${describeValue(divergence)}`,
    );
  }
  return divergence as Divergence;
}

/** Throws unless `value` is a finite number (and > 0 / ≥ 0 when asked). */
export function checkNumber(
  component: string,
  name: string,
  value: unknown,
  fallback: number,
  constraint: 'any' | 'positive' | 'nonnegative' = 'any',
): number {
  const v = value === undefined ? fallback : value;
  const ok =
    typeof v === 'number' &&
    Number.isFinite(v) &&
    (constraint === 'any' || (constraint === 'positive' ? v > 0 : v >= 0));
  if (!ok) {
    const what = constraint === 'any' ? 'a finite number' : `a ${constraint} finite number`;
    throw new LossesError(component, 'INVALID_ARGUMENT', `expected ${name} to be ${what}, got ${describeValue(v)}`);
  }
  return v as number;
}

/** Throws unless `value` is a positive integer. */
export function checkPositiveInteger(component: string, name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw new LossesError(
      component,
      'INVALID_ARGUMENT',
      `expected ${name} to be a positive integer, got ${describeValue(value)}`,
    );
  }
  return value;
}
