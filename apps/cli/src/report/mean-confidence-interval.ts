import { studentTQuantile } from './student-t-quantile';

/** A mean over seeds with its two-sided confidence interval mean ± halfWidth. */
export interface MeanInterval {
  readonly mean: number;
  /** t_{(1+level)/2, n−1} · s / √n; null when n < 2 (no spread can be estimated from one value). */
  readonly halfWidth: number | null;
  /** Sample standard deviation s = √(Σ (xᵢ − x̄)² / (n − 1)); null when n < 2. */
  readonly std: number | null;
  /** Number of finite values averaged (non-finite ones are left out). */
  readonly n: number;
}

/**
 * Mean and Student-t confidence interval of `values` (default level 0.95): x̄ ± t_{(1+level)/2, n−1} · s / √n, the
 * usual interval for a mean over a few random seeds. Non-finite values are left out; an empty input gives mean NaN.
 *
 * ```ts
 * meanConfidenceInterval([0.8, 0.82, 0.84]); // { mean: 0.82, std: 0.02, halfWidth: 4.3027 · 0.02 / √3 ≈ 0.0497, n: 3 }
 * ```
 */
export function meanConfidenceInterval(values: readonly number[], level = 0.95): MeanInterval {
  const xs = values.filter((v) => Number.isFinite(v));
  const n = xs.length;
  if (n === 0) return { mean: Number.NaN, halfWidth: null, std: null, n: 0 };
  const mean = xs.reduce((s, v) => s + v, 0) / n;
  if (n < 2) return { mean, halfWidth: null, std: null, n };
  const std = Math.sqrt(xs.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1));
  const halfWidth = studentTQuantile((1 + level) / 2, n - 1) * (std / Math.sqrt(n));
  return { mean, halfWidth, std, n };
}
