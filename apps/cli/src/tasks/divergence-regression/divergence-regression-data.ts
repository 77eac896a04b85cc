import { SeededRandom } from '@empirical-bregman/common';
import { CliError } from '../../cli-error';

/**
 * The known asymmetric target of the divergence-regression task: the Bregman divergence of φ(x) = Σᵢ e^{xᵢ}
 * (the "exponential loss" of Banerjee et al. 2005, "Clustering with Bregman divergences", JMLR 6, Table 1),
 *
 *   D(x, y) = φ(x) − φ(y) − ⟨∇φ(y), x − y⟩ = Σᵢ e^{xᵢ} − e^{yᵢ} − e^{yᵢ}(xᵢ − yᵢ),
 *
 * in plain float64. Why this generator: it is defined on all of ℝᵈ, so every learned head (which is defined on ℝᵈ)
 * sees the raw points with no domain constraint, and its asymmetry D(x, y) − D(y, x) ≈ −Σᵢ e^{mᵢ}(xᵢ − yᵢ)³/6
 * (mᵢ the midpoint) is a third-order effect a symmetric (Mahalanobis) head cannot express. The generalised KL
 * divergence would need positive points near whose boundary it blows up, and the app's fixed `kl` head would be the
 * target itself.
 *
 * ```ts
 * exponentialDivergence([0, 1], [0, 0]); // e − 1 − 1 ≈ 0.71828
 * ```
 */
export function exponentialDivergence(x: ArrayLike<number>, y: ArrayLike<number>): number {
  if (x.length !== y.length)
    throw new CliError(
      'exponentialDivergence',
      'INVALID_SHAPE',
      `expected two points of one length, got ${x.length} and ${y.length}`,
    );
  let sum = 0;
  for (let i = 0; i < x.length; i++) {
    const ey = Math.exp(y[i]!);
    sum += Math.exp(x[i]!) - ey - ey * (x[i]! - y[i]!);
  }
  return sum;
}

/** n ordered pairs (x_k, y_k) of points in ℝᵈ with the target in both orders. */
export interface RegressionPairs {
  readonly count: number;
  readonly dim: number;
  /** x_k, row-major [count, dim]. */
  readonly x: Float32Array;
  /** y_k, row-major [count, dim]. */
  readonly y: Float32Array;
  /** t_k = D(x_k, y_k), computed in float64 from the float32 points actually stored. */
  readonly target: Float64Array;
  /** D(y_k, x_k): the reversed order, for the asymmetry agreement. */
  readonly reverseTarget: Float64Array;
}

export interface DivergenceRegressionData {
  readonly dim: number;
  /** Every coordinate is uniform on [−range, range]. */
  readonly range: number;
  readonly train: RegressionPairs;
  readonly val: RegressionPairs;
  readonly test: RegressionPairs;
  /** One line for the report. */
  readonly description: string;
}

export interface DivergenceRegressionDataOptions {
  /** Dimension d of the points. */
  readonly dim: number;
  /** Pairs in each part. */
  readonly train: number;
  readonly val: number;
  readonly test: number;
  /** Every coordinate is drawn uniformly from [−range, range] (default 1). */
  readonly range?: number;
  readonly seed: number;
}

function pairs(rng: SeededRandom, count: number, dim: number, range: number): RegressionPairs {
  const x = new Float32Array(count * dim);
  const y = new Float32Array(count * dim);
  for (let i = 0; i < x.length; i++) {
    x[i] = rng.uniform(-range, range);
    y[i] = rng.uniform(-range, range);
  }
  const target = new Float64Array(count);
  const reverseTarget = new Float64Array(count);
  for (let k = 0; k < count; k++) {
    const xk = x.subarray(k * dim, (k + 1) * dim);
    const yk = y.subarray(k * dim, (k + 1) * dim);
    target[k] = exponentialDivergence(xk, yk);
    reverseTarget[k] = exponentialDivergence(yk, xk);
  }
  return { count, dim, x, y, target, reverseTarget };
}

/**
 * The synthetic data of the divergence-regression task (the evaluation of learned divergences in Cilingir et al.
 * 2020, "Deep divergence learning", ICML, and Siahkamari et al. 2023, "Neural Bregman divergences", ICLR): pairs of
 * independent points, every coordinate uniform on [−range, range], labelled with {@link exponentialDivergence}.
 * Train, validation and test pairs come from separate sub-streams of one seed, so the test pairs do not change when
 * the number of training pairs does. Deterministic: one seed, one data set.
 */
export function divergenceRegressionData(options: DivergenceRegressionDataOptions): DivergenceRegressionData {
  const { dim, seed } = options;
  const range = options.range ?? 1;
  for (const [key, value] of [
    ['dim', dim],
    ['train', options.train],
    ['val', options.val],
    ['test', options.test],
  ] as const) {
    if (!Number.isInteger(value) || value < 1)
      throw new CliError(
        'divergenceRegressionData',
        'INVALID_ARGUMENT',
        `expected ${key} to be a positive integer, got ${value}`,
      );
  }
  if (!(range > 0) || !Number.isFinite(range))
    throw new CliError('divergenceRegressionData', 'INVALID_ARGUMENT', `expected range > 0, got ${range}`);
  const part = (name: string, count: number) =>
    pairs(new SeededRandom(`${seed}/divergence-regression/${name}`), count, dim, range);
  return {
    dim,
    range,
    train: part('train', options.train),
    val: part('val', options.val),
    test: part('test', options.test),
    description:
      `divergence regression: target D(x, y) = Σ e^{xᵢ} − e^{yᵢ} − e^{yᵢ}(xᵢ − yᵢ) (Bregman divergence of φ = Σ e^{xᵢ}), ` +
      `x, y independent and uniform on [−${range}, ${range}]^${dim}; ${options.train}/${options.val}/${options.test} train/validation/test pairs (seed ${seed})`,
  };
}
