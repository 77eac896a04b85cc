import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';

/**
 * Test helper: the gradient tfjs computes for `f` with respect to each variable agrees with central finite
 * differences, coordinate by coordinate (the first `coords` of each variable), within `tolerance·(1 + |fd|)`.
 * float32 values: h = 1e-2 keeps the round-off of the difference quotient well below the tolerance.
 */
export function expectGradientsMatchFiniteDifferences(
  f: () => tf.Scalar,
  vars: tf.Variable[],
  options: { h?: number; tolerance?: number; coords?: number } = {},
): void {
  const h = options.h ?? 1e-2;
  const tolerance = options.tolerance ?? 3e-2;
  const { grads } = tf.variableGrads(f, vars);
  try {
    for (const v of vars) {
      const g = grads[v.name]!.dataSync();
      expect(Array.from(g).every(Number.isFinite), `finite gradient of ${v.name}`).toBe(true);
      const base = v.dataSync().slice();
      const coords = Math.min(base.length, options.coords ?? 8);
      for (let k = 0; k < coords; k++) {
        const at = (delta: number) => {
          const values = base.slice();
          values[k] = (values[k] as number) + delta;
          tf.tidy(() => v.assign(tf.tensor(values, v.shape)));
          return tf.tidy(() => f().dataSync()[0] as number);
        };
        const fd = (at(h) - at(-h)) / (2 * h);
        tf.tidy(() => v.assign(tf.tensor(base, v.shape)));
        expect(
          Math.abs((g[k] as number) - fd),
          `${v.name}[${k}]: autodiff ${g[k]}, finite differences ${fd}`,
        ).toBeLessThan(tolerance * (1 + Math.abs(fd)));
      }
    }
  } finally {
    tf.dispose(grads);
  }
}
