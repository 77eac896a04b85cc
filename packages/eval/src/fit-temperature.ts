import { describeValue } from '@empirical-bregman/common';
import { checkLabels } from './check-labels';
import { EvaluationError } from './evaluation-error';

/** Options of {@link fitTemperature}. */
export interface FitTemperatureOptions {
  /** log π_c, the classes' prior log-probabilities (default: uniform). */
  readonly logPriors?: ArrayLike<number>;
  /** Search range of τ. Default [1e-4, 1e4]. */
  readonly range?: readonly [number, number];
}

export interface FittedTemperature {
  readonly temperature: number;
  /** Mean NLL at the fitted temperature. */
  readonly nll: number;
}

/**
 * One item's log-sum-exp of z_c = log π_c − β·D_ic (and Σ_c e^{z_c − max} D_ic, the numerator of E_p[D]): the
 * softmax both the NLL and its derivative need, computed stably around the row's maximum.
 */
export function rowSoftmax(
  divergences: ArrayLike<number>,
  C: number,
  i: number,
  beta: number,
  logPriors: ArrayLike<number> | undefined,
): { logSumExp: number; expectedD: number } {
  let max = Number.NEGATIVE_INFINITY;
  for (let c = 0; c < C; c++) max = Math.max(max, (logPriors ? logPriors[c]! : 0) - beta * divergences[i * C + c]!);
  let sum = 0;
  let weighted = 0;
  for (let c = 0; c < C; c++) {
    const e = Math.exp((logPriors ? logPriors[c]! : 0) - beta * divergences[i * C + c]! - max);
    sum += e;
    weighted += e * divergences[i * C + c]!;
  }
  return { logSumExp: max + Math.log(sum), expectedD: weighted / sum };
}

/**
 * Mean NLL of p(c | i) ∝ π_c · exp(−D_ic / τ) at the true classes, for n items × C classes of divergences
 * `D[i * C + c]` (e.g. to the class centroids). Stable log-sum-exp.
 */
export function checkLogPriors(component: string, logPriors: ArrayLike<number> | undefined, C: number): void {
  if (logPriors === undefined) return;
  if (logPriors.length !== C)
    throw new EvaluationError(
      component,
      'INVALID_SHAPE',
      `expected ${C} log-priors (one per class), got ${logPriors.length}`,
    );
  for (let c = 0; c < C; c++)
    if (!(logPriors[c]! <= 0) || Number.isNaN(logPriors[c]!))
      throw new EvaluationError(
        component,
        'INVALID_ARGUMENT',
        `expected log-priors ≤ 0 (logs of probabilities), got ${logPriors[c]} for class ${c}`,
      );
}

export function temperatureNll(
  divergences: ArrayLike<number>,
  numClasses: number,
  labels: Int32Array,
  temperature: number,
  logPriors?: ArrayLike<number>,
): number {
  const C = numClasses;
  if (!Number.isInteger(C) || C < 1 || divergences.length !== labels.length * C)
    throw new EvaluationError(
      'temperatureNll',
      'INVALID_SHAPE',
      `expected ${labels.length}·numClasses divergences, got ${divergences.length} and numClasses ${C}`,
    );
  if (!(temperature > 0))
    throw new EvaluationError('temperatureNll', 'INVALID_ARGUMENT', `expected a temperature > 0, got ${temperature}`);
  for (let i = 0; i < labels.length; i++)
    if (labels[i]! < 0 || labels[i]! >= C)
      throw new EvaluationError(
        'temperatureNll',
        'INVALID_ARGUMENT',
        `expected labels in [0, ${C}), got ${labels[i]} at ${i}`,
      );
  checkLogPriors('temperatureNll', logPriors, C);
  return meanNll(divergences, C, labels, 1 / temperature, logPriors);
}

/** The mean NLL at β = 1/τ, inputs already checked (fitTemperature checks once, then evaluates). */
function meanNll(
  divergences: ArrayLike<number>,
  C: number,
  labels: Int32Array,
  beta: number,
  logPriors: ArrayLike<number> | undefined,
): number {
  let total = 0;
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i]!;
    const zTrue = (logPriors ? logPriors[y]! : 0) - beta * divergences[i * C + y]!;
    total += rowSoftmax(divergences, C, i, beta, logPriors).logSumExp - zTrue;
  }
  return total / labels.length;
}

/**
 * Temperature scaling (Guo et al. 2017) of the Bregman centroid posterior p(c | x) ∝ π_c · exp(−D_φ(z, μ_c) / τ):
 * the τ that minimises the mean NLL on labelled validation items. With β = 1/τ the NLL is convex in β (a log-sum-exp
 * of functions affine in β, minus one affine in β), so its derivative mean[D_iy − Σ_c p_ic D_ic] increases with β and
 * one bisection on it (in log β) finds the minimum; τ is monotone in β, so the problem is the same 1-D convex
 * problem seen in log τ. When the NLL keeps falling to the end of `range` (perfectly separated classes, or
 * divergences carrying no information), the end is returned.
 *
 * ```ts
 * const { temperature } = fitTemperature(dToCentroids, numClasses, valLabels);
 * ```
 */
export function fitTemperature(
  divergences: ArrayLike<number>,
  numClasses: number,
  labels: Int32Array,
  options: FitTemperatureOptions = {},
): FittedTemperature {
  const component = 'fitTemperature';
  checkLabels(component, 'labels', labels);
  const C = numClasses;
  if (!Number.isInteger(C) || C < 2 || divergences.length !== labels.length * C)
    throw new EvaluationError(
      component,
      'INVALID_SHAPE',
      `expected ${labels.length}·numClasses divergences with numClasses ≥ 2, got ${divergences.length} and numClasses ${describeValue(C)}`,
    );
  for (let i = 0; i < divergences.length; i++)
    if (!Number.isFinite(divergences[i]!))
      throw new EvaluationError(component, 'NON_FINITE', `expected finite divergences, got ${divergences[i]} at ${i}`);
  for (let i = 0; i < labels.length; i++)
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
  const { logPriors } = options;
  const n = labels.length;
  // d NLL / dβ = mean[D_iy − E_p[D_i·]]: increasing in β (NLL is convex in β).
  const slope = (beta: number): number => {
    let total = 0;
    for (let i = 0; i < n; i++)
      total += divergences[i * C + labels[i]!]! - rowSoftmax(divergences, C, i, beta, logPriors).expectedD;
    return total / n;
  };
  // β from 1/hi to 1/lo; the slope increases with β.
  let a = Math.log(1 / hi);
  let b = Math.log(1 / lo);
  let beta: number;
  if (slope(Math.exp(a)) >= 0) beta = Math.exp(a);
  else if (slope(Math.exp(b)) <= 0) beta = Math.exp(b);
  else {
    for (let step = 0; step < 100 && b - a > 1e-10; step++) {
      const mid = (a + b) / 2;
      if (slope(Math.exp(mid)) < 0) a = mid;
      else b = mid;
    }
    beta = Math.exp((a + b) / 2);
  }
  const temperature = 1 / beta;
  return { temperature, nll: meanNll(divergences, C, labels, 1 / temperature, logPriors) };
}
