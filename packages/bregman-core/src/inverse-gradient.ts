import * as tf from '@tensorflow/tfjs-core';
import type { ConvexFunction } from '@empirical-bregman/convex-net';
import { BregmanCoreError } from './bregman-core-error';
import { checkMatrix } from './check-inputs';

export interface InverseGradientOptions {
  /**
   * `'auto'` (default): φ's closed-form conjugate when it has one, else the numeric solve. `'closed-form'` requires
   * the conjugate; `'numeric'` always solves (useful to check one against the other).
   */
  readonly method?: 'auto' | 'closed-form' | 'numeric';
  /**
   * Numeric solve: stop when every row satisfies ‖∇φ(c) − y‖_∞ ≤ tolerance · (1 + ‖y‖_∞). Default 1e-4 (float32
   * evaluations of ∇φ carry ~1e-7 relative error, so tolerances below ~1e-5 may not be reachable).
   */
  readonly tolerance?: number;
  /** Numeric solve: iteration cap (default 2,000). */
  readonly maxIterations?: number;
  /** Numeric solve: starting points [k, d] (default: zeros, or the caller's guess; must lie in φ's domain). */
  readonly init?: tf.Tensor2D;
}

export interface InverseGradientResult {
  /** ∇φ*(Y) row by row: [k, d], owned by the caller. */
  readonly value: tf.Tensor2D;
  /** `'closed-form'` or `'numeric'`. */
  readonly method: 'closed-form' | 'numeric';
  /** Iterations of the numeric solve (0 for the closed form). */
  readonly iterations: number;
  /** True when every row met the tolerance (always true for the closed form). */
  readonly converged: boolean;
  /** Largest ‖∇φ(c) − y‖_∞ / (1 + ‖y‖_∞) at the end (0 for the closed form, where it is not computed). */
  readonly residual: number;
}

const COMPONENT = 'inverseGradient';

/**
 * ∇φ*(y) = (∇φ)⁻¹(y) = argmin_c φ(c) − ⟨y, c⟩, row by row: the map from the dual (gradient) space back to the
 * primal one (Rockafellar 1970, Convex Analysis, Thm 26.5). Closed form when φ has a `conjugate`; otherwise each
 * row's strictly convex problem is solved by gradient descent with Barzilai–Borwein steps (Barzilai & Borwein 1988)
 * safeguarded by backtracking, rows in parallel, to the stated tolerance. Steps that leave φ's domain (NaN values)
 * are rejected and shortened, so a start inside the domain stays inside.
 *
 * Reads values back every iteration: a tool for centroids and analysis, not for training steps.
 */
export function inverseGradient(
  generator: ConvexFunction,
  y: tf.Tensor2D,
  options: InverseGradientOptions = {},
): InverseGradientResult {
  const d = generator.dim;
  checkMatrix(COMPONENT, 'y', y, d);
  const method = options.method ?? 'auto';
  if (method !== 'auto' && method !== 'closed-form' && method !== 'numeric') {
    throw new BregmanCoreError(
      COMPONENT,
      'INVALID_ARGUMENT',
      `expected method 'auto', 'closed-form' or 'numeric', got ${JSON.stringify(method)}`,
    );
  }
  const conjugate = generator.conjugate;
  if (method === 'closed-form' && conjugate === undefined) {
    throw new BregmanCoreError(
      COMPONENT,
      'UNSUPPORTED',
      `expected a generator with a closed-form conjugate for method 'closed-form', got ${generator.type} without one`,
    );
  }
  if (conjugate !== undefined && method !== 'numeric') {
    const value = tf.tidy(() => {
      const r = conjugate.valueAndGrad(y);
      return r.grad;
    });
    return { value, method: 'closed-form', iterations: 0, converged: true, residual: 0 };
  }
  const tolerance = options.tolerance ?? 1e-4;
  const maxIterations = options.maxIterations ?? 2000;
  if (!(tolerance > 0) || !Number.isFinite(tolerance)) {
    throw new BregmanCoreError(COMPONENT, 'INVALID_ARGUMENT', `expected tolerance > 0, got ${tolerance}`);
  }
  if (!Number.isInteger(maxIterations) || maxIterations < 1) {
    throw new BregmanCoreError(COMPONENT, 'INVALID_ARGUMENT', `expected maxIterations >= 1, got ${maxIterations}`);
  }
  if (options.init !== undefined) {
    checkMatrix(COMPONENT, 'init', options.init, d);
    if (options.init.shape[0] !== y.shape[0]) {
      throw new BregmanCoreError(
        COMPONENT,
        'INVALID_SHAPE',
        `expected init with ${y.shape[0]} rows (one per row of y), got ${options.init.shape[0]}`,
      );
    }
  }
  return solveNumerically(generator, y, options.init, tolerance, maxIterations);
}

function solveNumerically(
  generator: ConvexFunction,
  y: tf.Tensor2D,
  init: tf.Tensor2D | undefined,
  tolerance: number,
  maxIterations: number,
): InverseGradientResult {
  const [k, d] = y.shape;
  const target = Float64Array.from(y.dataSync());
  const c = init === undefined ? new Float64Array(k * d) : Float64Array.from(init.dataSync());
  const scale = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    let m = 0;
    for (let j = 0; j < d; j++) m = Math.max(m, Math.abs(target[i * d + j]));
    scale[i] = 1 + m;
  }
  /** F(c) = φ(c) − ⟨y, c⟩ and its gradient ∇φ(c) − y, per row, in float64 from float32 evaluations. */
  const evaluate = (point: Float64Array): { f: Float64Array; g: Float64Array } => {
    const out = tf.tidy(() => {
      const r = generator.valueAndGrad(tf.tensor2d(Float32Array.from(point), [k, d]), { validate: false });
      return [r.value.dataSync(), r.grad.dataSync()] as const;
    });
    const f = new Float64Array(k);
    const g = new Float64Array(k * d);
    for (let i = 0; i < k; i++) {
      let dot = 0;
      for (let j = 0; j < d; j++) {
        const idx = i * d + j;
        dot += target[idx] * point[idx];
        g[idx] = out[1][idx] - target[idx];
      }
      f[i] = out[0][i] - dot;
    }
    return { f, g };
  };
  const rowResidual = (g: Float64Array, i: number): number => {
    let m = 0;
    for (let j = 0; j < d; j++) m = Math.max(m, Math.abs(g[i * d + j]));
    return Number.isNaN(m) ? Number.POSITIVE_INFINITY : m / scale[i];
  };

  const { f, g } = evaluate(c);
  for (let i = 0; i < k; i++) {
    if (!Number.isFinite(f[i])) {
      throw new BregmanCoreError(
        COMPONENT,
        'OUT_OF_DOMAIN',
        `expected a starting point in the domain of ${generator.type} (finite φ), got φ = ${f[i]} at row ${i}: pass options.init`,
      );
    }
  }
  const step = new Float64Array(k).fill(1);
  const done = new Uint8Array(k);
  let iterations = 0;
  for (; iterations < maxIterations; iterations++) {
    let allDone = true;
    for (let i = 0; i < k; i++) {
      done[i] = rowResidual(g, i) <= tolerance ? 1 : 0;
      if (!done[i]) allDone = false;
    }
    if (allDone) break;
    const trial = Float64Array.from(c);
    for (let i = 0; i < k; i++) {
      if (done[i]) continue;
      for (let j = 0; j < d; j++) trial[i * d + j] -= step[i] * g[i * d + j];
    }
    const next = evaluate(trial);
    for (let i = 0; i < k; i++) {
      if (done[i]) continue;
      let gg = 0;
      let ngg = 0;
      for (let j = 0; j < d; j++) {
        gg += g[i * d + j] ** 2;
        ngg += next.g[i * d + j] ** 2;
      }
      const fNew = next.f[i];
      // Armijo decrease, or (when f is flat at float32 resolution) no increase beyond round-off and a smaller gradient.
      const roundOff = 1e-6 * (Math.abs(f[i]) + 1);
      const accept =
        Number.isFinite(fNew) &&
        Number.isFinite(ngg) &&
        (fNew <= f[i] - 1e-4 * step[i] * gg || (fNew <= f[i] + roundOff && ngg < gg));
      if (!accept) {
        step[i] *= 0.5;
        continue;
      }
      // Barzilai–Borwein step ⟨s, s⟩ / ⟨s, Δg⟩ for the next iteration.
      let ss = 0;
      let sy = 0;
      for (let j = 0; j < d; j++) {
        const idx = i * d + j;
        const s = trial[idx] - c[idx];
        ss += s * s;
        sy += s * (next.g[idx] - g[idx]);
        c[idx] = trial[idx];
        g[idx] = next.g[idx];
      }
      f[i] = fNew;
      step[i] = sy > 0 && Number.isFinite(ss / sy) ? ss / sy : step[i] * 2;
    }
  }
  let residual = 0;
  for (let i = 0; i < k; i++) residual = Math.max(residual, rowResidual(g, i));
  return {
    value: tf.tensor2d(Float32Array.from(c), [k, d]),
    method: 'numeric',
    iterations,
    converged: residual <= tolerance,
    residual,
  };
}
