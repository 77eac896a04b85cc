import * as tf from '@tensorflow/tfjs-core';
import { SeededRandom } from '@empirical-bregman/common';
import { LossesError } from '../losses-error';
import { checkPositiveInteger } from '../utils/check-options';

/** Options shared by the proxy losses. */
export interface ProxyOptions {
  /** C, the number of classes (labels must lie in 0..C−1; rows with other labels do not count). */
  readonly numClasses: number;
  /** Width of the embeddings (and proxies). Defaults to the divergence's `dim`, else the initial proxies' width. */
  readonly embeddingDim?: number;
  /** Initial proxies, C rows of width d (e.g. inside φ's domain); default N(0, 1/d) drawn from `seed`. */
  readonly initialProxies?: readonly (readonly number[])[];
  /** Seed of the default proxy initialisation (default 0). */
  readonly seed?: number;
}

/** Creates the learnable [C, d] proxies of a proxy loss (internal). */
export function createProxies(component: string, options: ProxyOptions, divergenceDim: number | null): tf.Variable {
  const numClasses = checkPositiveInteger(component, 'numClasses', options?.numClasses);
  const dim = checkPositiveInteger(
    component,
    'embeddingDim',
    options.embeddingDim ?? divergenceDim ?? options.initialProxies?.[0]?.length,
  );
  if (options.initialProxies !== undefined) {
    const rows = options.initialProxies;
    if (!Array.isArray(rows) || rows.length !== numClasses || rows.some((r) => r.length !== dim)) {
      throw new LossesError(
        component,
        'INVALID_SHAPE',
        `expected initialProxies as ${numClasses} rows of width ${dim}, got ${Array.isArray(rows) ? `${rows.length} rows` : typeof rows}`,
      );
    }
    if (rows.some((r: readonly number[]) => r.some((v: number) => !Number.isFinite(v)))) {
      throw new LossesError(component, 'NON_FINITE', 'expected finite initialProxies, got NaN or ±Infinity');
    }
    return tf.tidy(() => tf.variable(tf.tensor2d(rows as number[][], [numClasses, dim]), true));
  }
  const rng = new SeededRandom(options.seed ?? 0);
  const values = new Float32Array(numClasses * dim);
  const std = 1 / Math.sqrt(dim);
  for (let i = 0; i < values.length; i++) values[i] = rng.normal() * std;
  return tf.tidy(() => tf.variable(tf.tensor2d(values, [numClasses, dim]), true));
}
