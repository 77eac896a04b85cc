import { describeValue } from '@empirical-bregman/common';
import { checkLabels } from './check-labels';
import { EvaluationError } from './evaluation-error';
import { checkLogPriors } from './fit-temperature';

/** Each query's k nearest reference items: their divergences to it and their labels, nearest first. */
export interface KnnNeighbours {
  /** Neighbours per query. */
  readonly k: number;
  /** [n · k]: D between query i and its r-th neighbour at i·k + r (+∞ for a missing neighbour). */
  readonly divergences: ArrayLike<number>;
  /** [n · k]: the neighbours' class labels (< 0 for a missing neighbour, which does not vote). */
  readonly labels: ArrayLike<number>;
}

/** Options of {@link knnKernelPosterior}. */
export interface KnnKernelOptions {
  /** τ > 0 of the kernel exp(−D/τ) (default 1): fit it on validation data with {@link fitKnnKernel}. */
  readonly temperature?: number;
  /** ε ≥ 0: the prior's pseudo-vote, in units of the nearest neighbour's weight (default 0.01). */
  readonly smoothing?: number;
  /** log π_c, how the pseudo-vote spreads over the classes (default: uniform). */
  readonly logPriors?: ArrayLike<number>;
}

/** What {@link fitKnnKernel} found. */
export interface FittedKnnKernel {
  readonly temperature: number;
  readonly smoothing: number;
  /** Mean NLL at them. */
  readonly nll: number;
}

function checkNeighbours(component: string, neighbours: KnnNeighbours): number {
  const { k, divergences, labels } = neighbours;
  if (!Number.isInteger(k) || k < 1 || divergences.length !== labels.length || divergences.length % k !== 0)
    throw new EvaluationError(
      component,
      'INVALID_SHAPE',
      `expected n·k divergences and labels with k ≥ 1, got ${divergences.length} divergences, ${labels.length} labels and k ${describeValue(k)}`,
    );
  for (let t = 0; t < divergences.length; t++)
    if (Number.isNaN(divergences[t]!))
      throw new EvaluationError(component, 'NON_FINITE', `expected divergences, got NaN at ${t}`);
  return divergences.length / k;
}

/** Writes query i's probabilities into out[i·C …], inputs already checked. */
function rowPosterior(
  neighbours: KnnNeighbours,
  i: number,
  C: number,
  beta: number,
  smoothing: number,
  priors: Float64Array,
  out: Float64Array,
  at: number,
): void {
  const { k, divergences, labels } = neighbours;
  // Weights relative to the nearest present neighbour (w = 1 there): the ratio is unchanged, nothing underflows, and
  // the pseudo-vote ε is measured against the strongest vote.
  let nearest = Number.POSITIVE_INFINITY;
  for (let r = 0; r < k; r++) if (labels[i * k + r]! >= 0) nearest = Math.min(nearest, divergences[i * k + r]!);
  for (let c = 0; c < C; c++) out[at + c] = smoothing * priors[c]!;
  let total = smoothing;
  if (Number.isFinite(nearest)) {
    for (let r = 0; r < k; r++) {
      const label = labels[i * k + r]!;
      if (label < 0 || label >= C) continue;
      const w = Math.exp(-beta * (divergences[i * k + r]! - nearest));
      out[at + label]! += w;
      total += w;
    }
  }
  if (total === 0) {
    // No neighbour and no pseudo-vote: nothing is known; the prior itself.
    for (let c = 0; c < C; c++) out[at + c] = priors[c]!;
    return;
  }
  for (let c = 0; c < C; c++) out[at + c]! /= total;
}

function priorsOf(logPriors: ArrayLike<number> | undefined, C: number): Float64Array {
  return Float64Array.from({ length: C }, (_, c) => (logPriors ? Math.exp(logPriors[c]!) : 1 / C));
}

/**
 * Class probabilities from a query's k nearest neighbours with a kernel on their divergences, a second estimator
 * beside the centroid posterior (a Nadaraya–Watson classifier on the learned divergence):
 *
 *   p(c | x) = (Σ_{r: y_r = c} w_r + ε·π_c) / (Σ_r w_r + ε),   w_r = exp(−(D_r − D_(1)) / τ)
 *
 * with D_(1) the nearest neighbour's divergence (so w = 1 there and ε is a pseudo-vote measured against it: without it
 * a class none of the k neighbours has gets probability 0 and an infinite NLL). τ → 0 is the 1-NN vote, τ → ∞ the
 * uniform k-NN vote. Returns the n × C row-major probabilities (rows sum to 1).
 *
 * ```ts
 * const fitted = fitKnnKernel(valNeighbours, C, valLabels);
 * const p = knnKernelPosterior(testNeighbours, C, fitted); // then calibrationMetrics({ probabilities: p, numClasses: C }, …)
 * ```
 */
export function knnKernelPosterior(
  neighbours: KnnNeighbours,
  numClasses: number,
  options: KnnKernelOptions = {},
): Float64Array {
  const component = 'knnKernelPosterior';
  const n = checkNeighbours(component, neighbours);
  const C = numClasses;
  if (!Number.isInteger(C) || C < 1)
    throw new EvaluationError(component, 'INVALID_ARGUMENT', `expected numClasses ≥ 1, got ${describeValue(C)}`);
  const tau = options.temperature ?? 1;
  if (!(tau > 0)) throw new EvaluationError(component, 'INVALID_ARGUMENT', `expected a temperature > 0, got ${tau}`);
  const smoothing = options.smoothing ?? 0.01;
  if (!(smoothing >= 0 && Number.isFinite(smoothing)))
    throw new EvaluationError(component, 'INVALID_ARGUMENT', `expected a smoothing ≥ 0, got ${smoothing}`);
  checkLogPriors(component, options.logPriors, C);
  const priors = priorsOf(options.logPriors, C);
  const out = new Float64Array(n * C);
  for (let i = 0; i < n; i++) rowPosterior(neighbours, i, C, 1 / tau, smoothing, priors, out, i * C);
  return out;
}

/** The smoothing values {@link fitKnnKernel} tries. */
const SMOOTHING_GRID = [1e-3, 1e-2, 1e-1, 1] as const;

/**
 * Fits the kernel of {@link knnKernelPosterior} on labelled validation queries by mean NLL: τ over a log grid of
 * `range` (97 points, 12 per decade) for each ε of {0.001, 0.01, 0.1, 1}, then a golden-section search on log τ
 * around the best grid point. The NLL is not convex in τ here (a ratio of sums of exponentials), hence the grid
 * before the local search; the test checks the result against a fine grid.
 *
 * ```ts
 * const { temperature, smoothing } = fitKnnKernel({ k: 10, divergences, labels: neighbourLabels }, C, valLabels);
 * ```
 */
export function fitKnnKernel(
  neighbours: KnnNeighbours,
  numClasses: number,
  labels: Int32Array,
  options: { readonly logPriors?: ArrayLike<number>; readonly range?: readonly [number, number] } = {},
): FittedKnnKernel {
  const component = 'fitKnnKernel';
  const n = checkNeighbours(component, neighbours);
  checkLabels(component, 'labels', labels, n);
  const C = numClasses;
  if (!Number.isInteger(C) || C < 2)
    throw new EvaluationError(component, 'INVALID_ARGUMENT', `expected numClasses ≥ 2, got ${describeValue(C)}`);
  for (let i = 0; i < n; i++)
    if (labels[i]! < 0 || labels[i]! >= C)
      throw new EvaluationError(
        component,
        'INVALID_ARGUMENT',
        `expected labels in [0, ${C}), got ${labels[i]} at ${i}`,
      );
  checkLogPriors(component, options.logPriors, C);
  const [lo, hi] = options.range ?? [1e-4, 1e4];
  if (!(lo > 0 && hi > lo))
    throw new EvaluationError(component, 'INVALID_ARGUMENT', `expected 0 < range[0] < range[1], got [${lo}, ${hi}]`);
  const priors = priorsOf(options.logPriors, C);
  const row = new Float64Array(C);
  const nll = (logTau: number, smoothing: number): number => {
    const beta = Math.exp(-logTau);
    let total = 0;
    for (let i = 0; i < n; i++) {
      rowPosterior(neighbours, i, C, beta, smoothing, priors, row, 0);
      total -= Math.log(Math.max(row[labels[i]!]!, Number.MIN_VALUE));
    }
    return total / n;
  };
  const a = Math.log(lo);
  const b = Math.log(hi);
  const steps = 96;
  let best = { logTau: a, smoothing: SMOOTHING_GRID[0] as number, nll: Number.POSITIVE_INFINITY };
  for (const smoothing of SMOOTHING_GRID)
    for (let s = 0; s <= steps; s++) {
      const logTau = a + ((b - a) * s) / steps;
      const value = nll(logTau, smoothing);
      if (value < best.nll) best = { logTau, smoothing, nll: value };
    }
  // Golden section on log τ within one grid step either side of the best point.
  const h = (b - a) / steps;
  let left = Math.max(a, best.logTau - h);
  let right = Math.min(b, best.logTau + h);
  const g = (Math.sqrt(5) - 1) / 2;
  let x1 = right - g * (right - left);
  let x2 = left + g * (right - left);
  let f1 = nll(x1, best.smoothing);
  let f2 = nll(x2, best.smoothing);
  for (let step = 0; step < 60 && right - left > 1e-9; step++) {
    if (f1 <= f2) {
      right = x2;
      x2 = x1;
      f2 = f1;
      x1 = right - g * (right - left);
      f1 = nll(x1, best.smoothing);
    } else {
      left = x1;
      x1 = x2;
      f1 = f2;
      x2 = left + g * (right - left);
      f2 = nll(x2, best.smoothing);
    }
  }
  const refined = (left + right) / 2;
  const refinedNll = nll(refined, best.smoothing);
  const logTau = refinedNll <= best.nll ? refined : best.logTau;
  return { temperature: Math.exp(logTau), smoothing: best.smoothing, nll: Math.min(refinedNll, best.nll) };
}
