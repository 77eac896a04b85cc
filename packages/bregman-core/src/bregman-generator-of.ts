import type { ConvexFunction } from '@empirical-bregman/convex-net';
import type { Divergence } from './divergence';

/** φ when `d` is the Bregman divergence D_φ (its `bregmanGenerator`), else null: a capability check, not `instanceof`. */
export function bregmanGeneratorOf(d: Divergence): ConvexFunction | null {
  return d.bregmanGenerator ?? null;
}
