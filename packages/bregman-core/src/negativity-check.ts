import * as tf from '@tensorflow/tfjs-core';
import { BregmanCoreError } from './bregman-core-error';

/** How far below zero a computed divergence may fall before it counts as a bug (see {@link clampDivergence}). */
export interface NegativityTolerance {
  /** Allowed negative value relative to the size of the terms that were summed. Default 1e-4. */
  readonly relative?: number;
  /** Allowed negative value in absolute terms, for terms near 0. Default 1e-6. */
  readonly absolute?: number;
}

export const DEFAULT_RELATIVE_TOLERANCE = 1e-4;
export const DEFAULT_ABSOLUTE_TOLERANCE = 1e-6;

/** Resolves and checks a tolerance (internal). */
export function resolveTolerance(
  component: string,
  tolerance: NegativityTolerance | undefined,
): { relative: number; absolute: number } {
  const relative = tolerance?.relative ?? DEFAULT_RELATIVE_TOLERANCE;
  const absolute = tolerance?.absolute ?? DEFAULT_ABSOLUTE_TOLERANCE;
  for (const [name, value] of [
    ['tolerance.relative', relative],
    ['tolerance.absolute', absolute],
  ] as const) {
    if (!Number.isFinite(value) || value < 0) {
      throw new BregmanCoreError(component, 'INVALID_ARGUMENT', `expected ${name} >= 0, got ${value}`);
    }
  }
  return { relative, absolute };
}

/**
 * Clamps float round-off below zero to 0: D ← max(D, 0). A divergence is ≥ 0 in exact arithmetic, but
 * D = φ(x) − φ(y) − ⟨∇φ(y), x − y⟩ is a difference of large terms and in float32 it can land slightly below 0
 * (at |x| ~ 1e3 the cancellation error is of order 1–10 in absolute terms). The gradient of the clamp is 0 where it
 * acts, which is right: a divergence at its minimum has zero gradient.
 *
 * When `validate` is true (reads data back: not for training steps) a value D < −(relative · scale + absolute),
 * `scale` being the summed magnitudes of the terms (a tensor of D's shape, computed lazily), is reported as a
 * `NUMERICAL` error rather than hidden, and NaN/±∞ as `NON_FINITE`. Internal; call inside `tf.tidy`.
 */
export function clampDivergence<T extends tf.Tensor>(
  component: string,
  d: T,
  validate: boolean,
  tolerance: { relative: number; absolute: number },
  scale: () => tf.Tensor,
): T {
  if (validate) {
    const values = d.dataSync();
    const scales = scale().dataSync();
    let worst = -1;
    let worstExcess = 0;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (!Number.isFinite(v)) {
        throw new BregmanCoreError(
          component,
          'NON_FINITE',
          `expected finite divergences, got ${v} at flat index ${i} of a tensor of shape [${d.shape.join(', ')}]`,
        );
      }
      const allowed = tolerance.relative * scales[i] + tolerance.absolute;
      if (v < -allowed && -v - allowed > worstExcess) {
        worst = i;
        worstExcess = -v - allowed;
      }
    }
    if (worst >= 0) {
      throw new BregmanCoreError(
        component,
        'NUMERICAL',
        `expected divergences >= 0 up to ${tolerance.relative} × the size of the terms (${scales[worst]}) + ${tolerance.absolute}, got ${values[worst]} at flat index ${worst}: the generator is not convex or its gradient is wrong`,
      );
    }
  }
  return tf.maximum(d, 0) as T;
}
