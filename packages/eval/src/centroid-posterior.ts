import { describeValue } from '@empirical-bregman/common';
import { EvaluationError } from './evaluation-error';
import { checkLogPriors, rowSoftmax } from './fit-temperature';

/** Options of {@link centroidPosterior}. */
export interface CentroidPosteriorOptions {
  /** τ > 0 (default 1): fit it on validation data with `fitTemperature`. */
  readonly temperature?: number;
  /** log π_c, the classes' prior log-probabilities (default: uniform), e.g. from class counts. */
  readonly logPriors?: ArrayLike<number>;
}

/**
 * Class probabilities from divergences to class centroids, the Bregman centroid posterior
 * p(c | x) ∝ π_c · exp(−D_φ(z, μ_c) / τ) (Banerjee, Merugu, Dhillon, Ghosh, "Clustering with Bregman divergences",
 * JMLR 2005: every Bregman divergence is the exponent of a regular exponential family, so the normaliser b_φ(z)
 * cancels between classes). For φ = ½‖x‖²/σ² and Gaussian classes N(μ_c, σ²I) with τ = 1 it is the Bayes posterior.
 * `divergences[i * C + c]` = D(z_i, μ_c); returns the n × C row-major probabilities (rows sum to 1), computed with a
 * stable log-sum-exp.
 *
 * ```ts
 * const { temperature } = fitTemperature(valD, C, valLabels);
 * const p = centroidPosterior(testD, C, { temperature }); // then calibrationMetrics({ probabilities: p, numClasses: C }, testLabels)
 * ```
 */
export function centroidPosterior(
  divergences: ArrayLike<number>,
  numClasses: number,
  options: CentroidPosteriorOptions = {},
): Float64Array {
  const component = 'centroidPosterior';
  const C = numClasses;
  const tau = checkCentroidDivergences(component, divergences, C, options.temperature);
  const { logPriors } = options;
  checkLogPriors(component, logPriors, C);
  const n = divergences.length / C;
  for (let t = 0; t < divergences.length; t++)
    if (Number.isNaN(divergences[t]!))
      throw new EvaluationError(
        component,
        'NON_FINITE',
        `expected divergences, got NaN at row ${Math.floor(t / C)}, class ${t % C}`,
      );
  const out = new Float64Array(n * C);
  const beta = 1 / tau;
  for (let i = 0; i < n; i++) {
    // The same stable softmax the temperature is fitted with.
    const { logSumExp } = rowSoftmax(divergences, C, i, beta, logPriors);
    for (let c = 0; c < C; c++)
      out[i * C + c] = Math.exp((logPriors ? logPriors[c]! : 0) - beta * divergences[i * C + c]! - logSumExp);
  }
  return out;
}

/**
 * Checks n × C divergences to class centroids (`divergences.length` a multiple of an integer C ≥ 1) and a temperature
 * (default 1) > 0, and returns the temperature. Internal: the centroid posterior's and its uncertainty scores' check.
 */
export function checkCentroidDivergences(
  component: string,
  divergences: ArrayLike<number>,
  C: number,
  temperature: number | undefined,
): number {
  if (!Number.isInteger(C) || C < 1 || divergences.length % C !== 0)
    throw new EvaluationError(
      component,
      'INVALID_SHAPE',
      `expected n·numClasses divergences, got ${divergences.length} and numClasses ${describeValue(C)}`,
    );
  const tau = temperature ?? 1;
  if (!(tau > 0)) throw new EvaluationError(component, 'INVALID_ARGUMENT', `expected a temperature > 0, got ${tau}`);
  return tau;
}
