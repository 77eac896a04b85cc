import { CosineDivergence } from '@empirical-bregman/bregman-core';
import { describeValue } from '@empirical-bregman/common';
import type { MetricLossOptions } from '../losses/metric-loss';
import { LossesError } from '../losses-error';

/**
 * Options of the angular-margin losses (ArcFace, SubCenterArcFace, TupletMargin): the divergence must be the cosine divergence
 * (the additive angular margin needs the angle θ = arccos(1 − D), which no other divergence defines), default
 * `CosineDivergence`, and the scale `'none'` (cosines are bounded, so there is nothing to normalise, and a rescaled
 * 1 − D would no longer be a cosine).
 */
export function angularOptions<T extends MetricLossOptions>(component: string, options: T): T {
  if (options === undefined || options === null || typeof options !== 'object') {
    throw new LossesError(component, 'INVALID_ARGUMENT', `expected an options object, got ${describeValue(options)}`);
  }
  const divergence = options.divergence ?? new CosineDivergence();
  // Ask the object its registry name (never instanceof across package copies).
  if ((divergence as { type?: unknown }).type !== 'CosineDivergence') {
    throw new LossesError(
      component,
      'INVALID_ARGUMENT',
      `expected a CosineDivergence (the additive angular margin needs angles), got ${describeValue((divergence as { type?: unknown }).type ?? divergence)}`,
    );
  }
  if (options.scale !== undefined && options.scale !== 'none') {
    throw new LossesError(
      component,
      'INVALID_ARGUMENT',
      `expected scale 'none' (cosines are bounded; 1 − D̃ would not be a cosine), got ${describeValue(options.scale)}`,
    );
  }
  return { ...options, divergence, scale: 'none' };
}
