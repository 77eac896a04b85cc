import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';

// Test helpers (not part of the package: the build starts from src/index.ts only). Float64 references written as
// plain loops, and gradient checks against central finite differences of those references.

export type Matrix = number[][];

export const sqDist = (a: readonly number[], b: readonly number[]) =>
  a.reduce((s, v, k) => s + (v - (b[k] as number)) ** 2, 0);

export const cosSim = (a: readonly number[], b: readonly number[]) => {
  const dot = a.reduce((s, v, k) => s + v * (b[k] as number), 0);
  return dot / (Math.hypot(...a) * Math.hypot(...b));
};

/** D(x_i, r_j) for a symmetric divergence given pointwise. */
export const matrix = (x: Matrix, f: (a: number[], b: number[]) => number, r: Matrix = x): Matrix =>
  x.map((a) => r.map((b) => f(a, b)));

/** Mean of the off-diagonal entries (the batch-mean scale over a batch against itself). */
export const offDiagonalMean = (d: Matrix) => {
  let s = 0;
  let c = 0;
  d.forEach((row, i) => {
    row.forEach((v, j) => {
      if (i !== j) {
        s += v;
        c++;
      }
    });
  });
  return s / c;
};

export const lse = (v: readonly number[]) => {
  const m = Math.max(...v);
  return m + Math.log(v.reduce((s, t) => s + Math.exp(t - m), 0));
};

export const softplus = (v: number) => (v > 30 ? v + Math.log1p(Math.exp(-v)) : Math.log1p(Math.exp(v)));

export const mean = (v: readonly number[]) => (v.length === 0 ? 0 : v.reduce((a, b) => a + b, 0) / v.length);

/** Mean of the positive values (AvgNonZeroReducer), 0 when none. */
export const meanNonZero = (v: readonly number[]) => mean(v.filter((t) => t > 0));

export const normalizeRows = (x: Matrix) => x.map((r) => r.map((v) => v / Math.hypot(...r)));

/** The value and the gradient of `f` at x (tf.grad of the loss under test). */
export function valueAndGradient(f: (x: tf.Tensor2D) => tf.Scalar, x: Matrix): { value: number; grad: Matrix } {
  return tf.tidy(() => {
    const t = tf.tensor2d(x);
    const { value, grad } = tf.valueAndGrad((e: tf.Tensor) => f(e as tf.Tensor2D))(t);
    const g = Array.from(grad.dataSync());
    const w = (x[0] as number[]).length;
    return { value: value.dataSync()[0] as number, grad: x.map((_, i) => g.slice(i * w, (i + 1) * w)) };
  });
}

/** Central finite differences of a float64 reference. */
export function finiteDifferences(ref: (x: Matrix) => number, x: Matrix, h = 1e-6): Matrix {
  return x.map((row, i) =>
    row.map((_, k) => {
      const at = (delta: number) => ref(x.map((r, a) => r.map((v, b) => (a === i && b === k ? v + delta : v))));
      return (at(h) - at(-h)) / (2 * h);
    }),
  );
}

/** tf.grad of the loss against finite differences of its float64 reference, entry by entry. */
export function expectGradientMatches(
  f: (x: tf.Tensor2D) => tf.Scalar,
  ref: (x: Matrix) => number,
  x: Matrix,
  tolerance = 2e-3,
): void {
  const { value, grad } = valueAndGradient(f, x);
  expect(value).toBeCloseTo(ref(x), 3);
  const fd = finiteDifferences(ref, x);
  let norm = 0;
  grad.forEach((row, i) => {
    row.forEach((g, k) => {
      const e = (fd[i] as number[])[k] as number;
      norm += Math.abs(e);
      expect(Math.abs(g - e)).toBeLessThan(tolerance * (1 + Math.abs(e)));
    });
  });
  // A gradient check on a flat point proves nothing.
  expect(norm).toBeGreaterThan(1e-3);
}
