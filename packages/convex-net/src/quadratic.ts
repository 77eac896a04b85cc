import * as tf from '@tensorflow/tfjs-core';
import type {
  ConvexConjugate,
  ConvexFunction,
  ConvexFunctionJSON,
  ValueAndGrad,
  ValueAndGradOptions,
} from './convex-function';
import { ConvexNetError } from './convex-net-error';
import { ClosedFormConjugate, runValueAndGrad } from './closed-form';
import { symmetricEigen } from './symmetric-eigen';

export interface QuadraticOptions {
  /** A symmetric positive semi-definite d×d matrix A, row-major (asymmetry up to 1e-6·max|A| is symmetrised). */
  readonly matrix: readonly (readonly number[])[];
}

/**
 * φ(x) = ½ xᵀAx, ∇φ(x) = Ax, with A symmetric positive semi-definite (checked in float64 by eigen-decomposition).
 * Induces the Mahalanobis divergence D_φ(x, y) = ½ (x − y)ᵀA(x − y) (Mahalanobis 1936). When A is positive
 * definite, `conjugate` is φ*(y) = ½ yᵀA⁻¹y with ∇φ*(y) = A⁻¹y; for a singular A, φ* is +∞ off the range of A and
 * `conjugate` is `undefined`.
 */
export class Quadratic implements ConvexFunction {
  readonly type = 'Quadratic';
  readonly dim: number;
  /** Every real input: φ is finite and differentiable on all of ℝ^d. */
  readonly domain = 'real';
  readonly trainableVariables: tf.Variable[] = [];
  readonly conjugate: ConvexConjugate | undefined;
  private readonly matrix: number[][];
  /** Smallest and largest eigenvalue of A (float64). */
  readonly eigenvalueRange: readonly [number, number];

  constructor(options: QuadraticOptions) {
    const m = options?.matrix;
    const d = Array.isArray(m) ? m.length : 0;
    if (
      d === 0 ||
      !m.every(
        (row) =>
          Array.isArray(row) && row.length === d && row.every((v) => typeof v === 'number' && Number.isFinite(v)),
      )
    ) {
      throw new ConvexNetError(
        'Quadratic',
        'INVALID_ARGUMENT',
        `expected matrix to be a square d×d array of finite numbers, got ${describeMatrix(m)}`,
      );
    }
    let maxAbs = 0;
    for (const row of m) for (const v of row) maxAbs = Math.max(maxAbs, Math.abs(v));
    const sym: number[][] = [];
    for (let i = 0; i < d; i++) {
      sym.push([]);
      for (let j = 0; j < d; j++) {
        if (Math.abs(m[i][j] - m[j][i]) > 1e-6 * maxAbs) {
          throw new ConvexNetError(
            'Quadratic',
            'INVALID_ARGUMENT',
            `expected a symmetric matrix, got A[${i}][${j}] = ${m[i][j]} but A[${j}][${i}] = ${m[j][i]}`,
          );
        }
        sym[i].push(0.5 * (m[i][j] + m[j][i]));
      }
    }
    const { values, vectors } = symmetricEigen(sym);
    const lo = Math.min(...values);
    const hi = Math.max(...values);
    const tol = 1e-9 * Math.max(maxAbs, Number.MIN_VALUE) * d;
    if (lo < -tol) {
      throw new ConvexNetError(
        'Quadratic',
        'INVALID_ARGUMENT',
        `expected a positive semi-definite matrix, got smallest eigenvalue ${Number(lo.toPrecision(6))}`,
      );
    }
    this.matrix = sym;
    this.dim = d;
    this.eigenvalueRange = [lo, hi];
    if (lo > tol) {
      const inv: number[][] = [];
      for (let i = 0; i < d; i++) {
        inv.push([]);
        for (let j = 0; j < d; j++) {
          let s = 0;
          for (let k = 0; k < d; k++) s += (vectors[i * d + k] * vectors[j * d + k]) / values[k];
          inv[i].push(s);
        }
      }
      this.conjugate = new ClosedFormConjugate('Quadratic.conjugate', d, 'real', (y) => quadraticKernel(y, inv));
    } else {
      this.conjugate = undefined;
    }
  }

  valueAndGrad(x: tf.Tensor2D, options?: ValueAndGradOptions): ValueAndGrad {
    return runValueAndGrad('Quadratic.valueAndGrad', x, this.dim, this.domain, options, (x) =>
      quadraticKernel(x, this.matrix),
    );
  }

  toJSON(): ConvexFunctionJSON {
    return { type: this.type, config: { matrix: this.matrix.map((row) => [...row]) }, weights: {} };
  }

  static fromJSON(json: ConvexFunctionJSON): Quadratic {
    return new Quadratic(json.config as unknown as QuadraticOptions);
  }

  dispose(): void {}
}

/** ½ xᵀMx and Mx for symmetric M (rows of X: X M). */
function quadraticKernel(x: tf.Tensor2D, m: number[][]): { value: tf.Tensor; grad: tf.Tensor } {
  const grad = tf.matMul(x, tf.tensor2d(m));
  return { value: tf.mul(0.5, tf.sum(tf.mul(x, grad), 1)), grad };
}

function describeMatrix(m: unknown): string {
  if (!Array.isArray(m)) return typeof m;
  const widths = m.map((row) => (Array.isArray(row) ? row.length : typeof row));
  return `${m.length} rows of widths [${widths.slice(0, 8).join(', ')}${widths.length > 8 ? ', …' : ''}]`;
}
