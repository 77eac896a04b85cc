import { SeededRandom } from '@empirical-bregman/common';
import { DatasetError } from './dataset-error';

/** The ground-truth divergences of {@link makeDivergencePairs}. */
export type TargetDivergence = 'kl' | 'itakura-saito';

/** Options of {@link makeDivergencePairs}. */
export interface DivergencePairsOptions {
  /** `'kl'`: x, y on the open simplex; `'itakura-saito'`: x, y in the positive orthant. */
  readonly divergence: TargetDivergence;
  /** Number of pairs. Default 1,000. */
  readonly count?: number;
  /** Dimension d (≥ 2 for KL). Default 3. */
  readonly dim?: number;
  /** Seed. Default 0. */
  readonly seed?: number | string;
}

/** Pairs (x_i, y_i) with targets t_i = D(x_i ‖ y_i). */
export interface DivergencePairs {
  readonly divergence: TargetDivergence;
  readonly dim: number;
  /** x_i, row-major count × d. */
  readonly x: Float32Array;
  /** y_i, row-major count × d. */
  readonly y: Float32Array;
  /** t_i = D(x_i ‖ y_i), computed in float64 from the float32 x, y, then rounded to float32. */
  readonly target: Float32Array;
}

/**
 * Divergence-regression pairs with a known, asymmetric answer — both targets are Bregman divergences, so a learned
 * Bregman divergence can represent them exactly (Banerjee et al., "Clustering with Bregman Divergences", JMLR 2005):
 *
 * - KL: φ(x) = Σ x_j log x_j on the simplex, D(x ‖ y) = Σ x_j log(x_j / y_j); x, y ~ Dirichlet(1, …, 1) (uniform on
 *   the simplex, drawn as normalised Exp(1) variables, floored at 1e-4 before normalising);
 * - Itakura–Saito: φ(x) = −Σ log x_j, D(x ‖ y) = Σ (x_j/y_j − log(x_j/y_j) − 1); log x_j ~ U[−1, 1].
 *
 * Deterministic for a seed.
 */
export function makeDivergencePairs(options: DivergencePairsOptions): DivergencePairs {
  const count = options.count ?? 1000;
  const d = options.dim ?? 3;
  const kind = options.divergence;
  if (kind !== 'kl' && kind !== 'itakura-saito') {
    throw new DatasetError(
      'makeDivergencePairs',
      'INVALID_ARGUMENT',
      `expected divergence 'kl' or 'itakura-saito', got ${JSON.stringify(kind)}`,
    );
  }
  if (!Number.isInteger(count) || count < 1 || !Number.isInteger(d) || d < (kind === 'kl' ? 2 : 1)) {
    throw new DatasetError(
      'makeDivergencePairs',
      'INVALID_ARGUMENT',
      `expected an integer count >= 1 and dim >= ${kind === 'kl' ? 2 : 1}, got ${count} and ${d}`,
    );
  }
  const rng = new SeededRandom(options.seed ?? 0);
  const draw = (out: Float32Array, row: number) => {
    if (kind === 'kl') {
      let sum = 0;
      const e = new Float64Array(d);
      for (let j = 0; j < d; j++) {
        e[j] = Math.max(-Math.log(1 - rng.next()), 1e-4);
        sum += e[j];
      }
      for (let j = 0; j < d; j++) out[row * d + j] = e[j] / sum;
    } else {
      for (let j = 0; j < d; j++) out[row * d + j] = Math.exp(rng.uniform(-1, 1));
    }
  };
  const x = new Float32Array(count * d);
  const y = new Float32Array(count * d);
  const target = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    draw(x, i);
    draw(y, i);
    let t = 0;
    for (let j = 0; j < d; j++) {
      const a = x[i * d + j];
      const b = y[i * d + j];
      t += kind === 'kl' ? a * Math.log(a / b) : a / b - Math.log(a / b) - 1;
    }
    target[i] = t;
  }
  return { divergence: kind, dim: d, x, y, target };
}
