/**
 * When a divergence computed through the reduction to inner products counts as exactly 0.
 *
 * The Bregman fast path computes D(q, r) = ⟨q̃, r̃⟩ with q̃ = [−u(q); offset(q)] and r̃ = [v(r); 1] (see
 * `reduced-bregman-vectors`), n = d + 2 entries each, in float32. A divergence that is exactly 0 in exact arithmetic
 * (the diagonal D(x, x); every pair on one linear piece of a max-affine φ) comes out as round-off of either sign,
 * and ranking by that noise scrambles what the docs promise, ties broken by reference index (reported under a
 * max-affine head: 477 of 600 query rows out of index order). So every value within
 *
 *   τ(q, r) = 2 · n · u · ‖q̃‖ · ‖r̃‖,   u = 2⁻²⁴ (float32's unit round-off),
 *
 * of 0, or below it, is set to exactly 0 *before* ranking; equal values are then ordered by index. Why this τ:
 * n·u·Σ|q̃ᵢ r̃ᵢ| ≤ n·u·‖q̃‖‖r̃‖ bounds the round-off of a float32 inner product of length n in any summation order
 * (Higham, "Accuracy and Stability of Numerical Algorithms", 2002, §3.1; to first order in u); the factor 2 allows as
 * much again for the round-off already in the entries of q̃ and r̃, each itself a sum of at most d + 1 products of
 * the same magnitudes (φ, the bias φ(y) − ⟨∇φ(y), y⟩). Values that small are not resolved by float32 anyway: D is a
 * difference of numbers of size ‖q̃‖‖r̃‖. The relative size, 2n·u ≈ 1.2e−7 · n, is ~1.6e−5 at d = 128.
 * Measured on exact zeros (max-affine pieces; the diagonal under an ICNN, ½‖x‖² and negative entropy; d = 8 to 128;
 * both slots; cpu and wasm): |D̂| ≤ 0.16 · n·u·‖q̃‖‖r̃‖, so τ has a margin of 12× and more.
 *
 * Every path that ranks reduced vectors uses this one definition: the in-process fast path, the pool's reduced
 * search, and `BregmanAnnIndex`'s re-scoring. Other divergences are ranked by their own `pairwise` values as computed.
 */
export interface ZeroTolerance {
  /** 2 · n · u for vectors of n entries. */
  readonly scale: number;
  /** ‖q̃‖ of each query (indexed like the running top-k's queries), 0 where not finite. */
  readonly queryNorms: Float32Array;
  /** ‖r̃‖ of each reference, 0 where not finite. */
  readonly referenceNorms: Float32Array;
}

/** float32's unit round-off. */
const UNIT_ROUNDOFF = 2 ** -24;

/** 2 · n · u: τ(q, r) = zeroToleranceScale(n) · ‖q̃‖ · ‖r̃‖ for reduced vectors of `width` = n entries. */
export function zeroToleranceScale(width: number): number {
  return 2 * width * UNIT_ROUNDOFF;
}

/**
 * √sumOfSquares as the tolerance uses it: rounded to float32, and 0 when not finite there (τ = 0: only values ≤ 0
 * then snap, so an infinite D is never made 0).
 */
export function toleranceNorm(sumOfSquares: number): number {
  const norm = Math.fround(Math.sqrt(sumOfSquares));
  return Number.isFinite(norm) ? norm : 0;
}

/** {@link toleranceNorm} of each row of row-major [rows, width] `values` (summed in float64), into `out` from `offset`. */
export function rowNorms(values: ArrayLike<number>, rows: number, width: number, out: Float32Array, offset = 0): void {
  for (let i = 0; i < rows; i++) {
    let sum = 0;
    const base = i * width;
    for (let c = 0; c < width; c++) {
      const v = values[base + c]!;
      sum += v * v;
    }
    out[offset + i] = toleranceNorm(sum);
  }
}

/** D, or exactly 0 where D ≤ τ (round-off of an exact zero, or below zero). */
export function snapToZero(value: number, scale: number, queryNorm: number, referenceNorm: number): number {
  return value <= scale * queryNorm * referenceNorm ? 0 : value;
}
