import { CliError } from '../../cli-error';

/** Metric names of the divergence-regression rows (labels in report/metric-names.ts). */
export const REGRESSION_METRICS = ['mse', 'relMse', 'spearmanRho', 'asymmetryAgreement'] as const;

/**
 * A learned divergence's order is counted as a tie (scored ½, a coin flip) when
 * |D_θ(x, y) − D_θ(y, x)| ≤ TIE · (D_θ(x, y) + D_θ(y, x)): below float32 round-off of D computed as
 * φ(x) − φ(y) − ⟨∇φ(y), x − y⟩, so a head that is symmetric by construction (Mahalanobis) scores 0.5, not noise.
 */
export const ASYMMETRY_TIE = 1e-4;

function checkLengths(component: string, ...arrays: ArrayLike<number>[]): number {
  const n = arrays[0]!.length;
  if (n === 0 || arrays.some((a) => a.length !== n)) {
    throw new CliError(
      component,
      'INVALID_SHAPE',
      `expected non-empty arrays of one length, got lengths ${arrays.map((a) => a.length).join(', ')}`,
    );
  }
  return n;
}

/** Mean squared error (1/n) Σ (p_k − t_k)². */
export function meanSquaredError(predicted: ArrayLike<number>, target: ArrayLike<number>): number {
  const n = checkLengths('meanSquaredError', predicted, target);
  let sum = 0;
  for (let k = 0; k < n; k++) sum += (predicted[k]! - target[k]!) ** 2;
  return sum / n;
}

/** Population variance (1/n) Σ (t_k − t̄)²: the MSE of the best constant prediction. */
export function variance(values: ArrayLike<number>): number {
  const n = checkLengths('variance', values);
  let mean = 0;
  for (let k = 0; k < n; k++) mean += values[k]!;
  mean /= n;
  let sum = 0;
  for (let k = 0; k < n; k++) sum += (values[k]! - mean) ** 2;
  return sum / n;
}

/** Ranks 1 … n, tied values sharing the mean of their ranks. */
function ranks(values: ArrayLike<number>): Float64Array {
  const n = values.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => values[a]! - values[b]!);
  const out = new Float64Array(n);
  for (let start = 0; start < n; ) {
    let end = start + 1;
    while (end < n && values[order[end]!] === values[order[start]!]) end++;
    const rank = (start + end + 1) / 2; // mean of the 1-based ranks start+1 … end
    for (let i = start; i < end; i++) out[order[i]!] = rank;
    start = end;
  }
  return out;
}

/**
 * Spearman's rank correlation ρ: the Pearson correlation of the ranks (ties get the mean of their ranks). NaN when
 * one side is constant (a ranking that says nothing).
 */
export function spearmanRho(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = checkLengths('spearmanRho', a, b);
  const ra = ranks(a);
  const rb = ranks(b);
  const mean = (n + 1) / 2;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let k = 0; k < n; k++) {
    const da = ra[k]! - mean;
    const db = rb[k]! - mean;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  return saa === 0 || sbb === 0 ? Number.NaN : sab / Math.sqrt(saa * sbb);
}

/**
 * Asymmetry agreement: the fraction of pairs where sign(D_θ(x, y) − D_θ(y, x)) = sign(t(x, y) − t(y, x)), a tie on
 * either side (see {@link ASYMMETRY_TIE}; the target's only when exactly equal) scoring ½. A symmetric head scores
 * exactly 0.5; a head that learned the target's asymmetry approaches 1.
 */
export function asymmetryAgreement(
  predicted: ArrayLike<number>,
  predictedReverse: ArrayLike<number>,
  target: ArrayLike<number>,
  targetReverse: ArrayLike<number>,
): number {
  const n = checkLengths('asymmetryAgreement', predicted, predictedReverse, target, targetReverse);
  let score = 0;
  for (let k = 0; k < n; k++) {
    const dp = predicted[k]! - predictedReverse[k]!;
    const dt = target[k]! - targetReverse[k]!;
    const tiedP = Math.abs(dp) <= ASYMMETRY_TIE * (Math.abs(predicted[k]!) + Math.abs(predictedReverse[k]!));
    if (tiedP || dt === 0) score += 0.5;
    else if (Math.sign(dp) === Math.sign(dt)) score += 1;
  }
  return score / n;
}

/**
 * The test metrics of a divergence-regression row: `mse`, `relMse` = MSE / Var(t) (0 is perfect, 1 is no better
 * than predicting the mean), `spearmanRho` between D_θ(x, y) and t, and `asymmetryAgreement`.
 */
export function regressionMetrics(
  predicted: ArrayLike<number>,
  predictedReverse: ArrayLike<number>,
  target: ArrayLike<number>,
  targetReverse: ArrayLike<number>,
): Record<(typeof REGRESSION_METRICS)[number], number> {
  const mse = meanSquaredError(predicted, target);
  return {
    mse,
    relMse: mse / variance(target),
    spearmanRho: spearmanRho(predicted, target),
    asymmetryAgreement: asymmetryAgreement(predicted, predictedReverse, target, targetReverse),
  };
}
