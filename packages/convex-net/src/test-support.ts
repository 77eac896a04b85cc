import * as tf from '@tensorflow/tfjs-core';
import { SeededRandom } from '@empirical-bregman/common';
import type { ConvexFunction } from './convex-function';
import type { InputDomain } from './input-domain';
import * as m from './index';

/** Test helpers (not exported from the package). */

/** n×d array of normal deviates (scaled, shifted). */
export function randomRows(rng: SeededRandom, n: number, d: number, std = 1, mean = 0): number[][] {
  return Array.from({ length: n }, () => Array.from({ length: d }, () => rng.normal(mean, std)));
}

/** n×d array of uniform deviates in [low, high). */
export function uniformRows(rng: SeededRandom, n: number, d: number, low: number, high: number): number[][] {
  return Array.from({ length: n }, () => Array.from({ length: d }, () => rng.uniform(low, high)));
}

/** Reads φ and ∇φ as JS arrays, disposing the tensors. */
export function evaluate(phi: ConvexFunction, x: number[][]): { value: number[]; grad: number[][] } {
  const input = tf.tensor2d(x);
  const { value, grad } = phi.valueAndGrad(input);
  const out = { value: Array.from(value.dataSync()), grad: grad.arraySync() };
  tf.dispose([input, value, grad]);
  return out;
}

/**
 * Central finite differences of φ at each row of x: (φ(x + h eⱼ) − φ(x − h eⱼ)) / 2h, all in one batched call
 * (the differences of float32 values are taken in float64). `kink[i][j]` is true where the forward and backward
 * differences disagree by more than `kinkTol` (a kink of a piecewise-linear φ within h).
 */
export function finiteDifferenceGrad(
  phi: ConvexFunction,
  x: number[][],
  h: number,
  kinkTol = Number.POSITIVE_INFINITY,
): number[][] & { kink: boolean[][] } {
  const rows: number[][] = [...x];
  for (const row of x) {
    for (let j = 0; j < row.length; j++) {
      const plus = [...row];
      plus[j] += h;
      const minus = [...row];
      minus[j] -= h;
      rows.push(plus, minus);
    }
  }
  const { value } = evaluate(phi, rows);
  const n = x.length;
  const d = x[0].length;
  const kink: boolean[][] = [];
  const out = x.map((_, i) => {
    kink.push([]);
    return Array.from({ length: d }, (_, j) => {
      const fp = value[n + 2 * (i * d + j)];
      const fm = value[n + 2 * (i * d + j) + 1];
      kink[i].push(Math.abs((fp - value[i]) / h - (value[i] - fm) / h) > kinkTol);
      return (fp - fm) / (2 * h);
    });
  });
  return Object.assign(out, { kink });
}

/** max |a − b| / (atol + rtol·|b|) over all entries: ≤ 1 means close. */
export function closeness(a: number[][] | number[], b: number[][] | number[], atol: number, rtol: number): number {
  const fa = (a as unknown[]).flat(2) as number[];
  const fb = (b as unknown[]).flat(2) as number[];
  if (fa.length !== fb.length) throw new Error(`length mismatch ${fa.length} vs ${fb.length}`);
  let worst = 0;
  for (let i = 0; i < fa.length; i++)
    worst = Math.max(worst, Math.abs(fa[i] - fb[i]) / (atol + rtol * Math.abs(fb[i])));
  return worst;
}

/** A generator under test: how to build it and where to sample its domain. */
export interface GeneratorCase {
  readonly name: string;
  readonly make: (dim: number, seed: number) => ConvexFunction;
  /** Random points in the interior of the domain. */
  readonly sample: (rng: SeededRandom, n: number, d: number) => number[][];
  /** The `domain` the generator must declare. */
  readonly domain: InputDomain;
  /** True for generators with trainable variables. */
  readonly learnable: boolean;
  /**
   * True for piecewise-linear generators (ReLU ICNN, max-affine): finite differences are exact inside a piece
   * but meaningless across a kink, so the checks use a small step and skip probes whose one-sided differences
   * disagree (a kink within the step).
   */
  readonly kinked?: boolean;
}

const real = (rng: SeededRandom, n: number, d: number) => randomRows(rng, n, d);
const positive = (rng: SeededRandom, n: number, d: number) => uniformRows(rng, n, d, 0.3, 2.5);

function randomPsd(d: number, seed: number): number[][] {
  const rng = new SeededRandom(seed);
  const b = randomRows(rng, d, d);
  return Array.from({ length: d }, (_, i) =>
    Array.from({ length: d }, (_, j) => {
      let s = i === j ? 0.5 : 0;
      for (let k = 0; k < d; k++) s += (b[i][k] * b[j][k]) / d;
      return s;
    }),
  );
}

/** Every generator of the package, with small default sizes. */
export function generatorCases(): GeneratorCase[] {
  return [
    { name: 'SquaredNorm', make: (dim) => new m.SquaredNorm({ dim }), sample: real, domain: 'real', learnable: false },
    {
      name: 'WeightedSquaredNorm',
      make: (dim, seed) => {
        const rng = new SeededRandom(seed);
        return new m.WeightedSquaredNorm({ weights: Array.from({ length: dim }, () => rng.uniform(0.2, 3)) });
      },
      sample: real,
      domain: 'real',
      learnable: false,
    },
    {
      name: 'Quadratic',
      make: (dim, seed) => new m.Quadratic({ matrix: randomPsd(dim, seed) }),
      sample: real,
      domain: 'real',
      learnable: false,
    },
    {
      name: 'NegativeEntropy',
      make: (dim) => new m.NegativeEntropy({ dim }),
      sample: positive,
      domain: 'positive',
      learnable: false,
    },
    {
      name: 'BurgEntropy',
      make: (dim) => new m.BurgEntropy({ dim }),
      sample: positive,
      domain: 'positive',
      learnable: false,
    },
    {
      name: 'ExponentialSum',
      make: (dim) => new m.ExponentialSum({ dim }),
      sample: real,
      domain: 'real',
      learnable: false,
    },
    { name: 'SoftplusSum', make: (dim) => new m.SoftplusSum({ dim }), sample: real, domain: 'real', learnable: false },
    {
      name: 'IcnnConvexFunction(softplus)',
      make: (dim, seed) => new m.IcnnConvexFunction({ dim, hiddenSizes: [12, 10, 8], activation: 'softplus', seed }),
      sample: real,
      domain: 'real',
      learnable: true,
    },
    {
      name: 'IcnnConvexFunction(relu)',
      make: (dim, seed) => new m.IcnnConvexFunction({ dim, hiddenSizes: [12, 10], activation: 'relu', seed }),
      sample: real,
      domain: 'real',
      learnable: true,
      kinked: true,
    },
    {
      // The gate opened (0.8): at its initial 0 the generator is ½‖x‖² and would test nothing of the ICNN part.
      name: 'ResidualIcnnConvexFunction(gate open)',
      make: (dim, seed) => {
        const phi = new m.ResidualIcnnConvexFunction({ dim, hiddenSizes: [12, 10], seed });
        tf.tidy(() => phi.trainableVariables[0]!.assign(tf.scalar(0.8)));
        return phi;
      },
      sample: real,
      domain: 'real',
      learnable: true,
    },
    {
      name: 'MaxAffineConvexFunction',
      make: (dim, seed) => new m.MaxAffineConvexFunction({ dim, pieces: 8, seed }),
      sample: real,
      domain: 'real',
      learnable: true,
      kinked: true,
    },
    {
      name: 'SoftMaxAffineConvexFunction',
      make: (dim, seed) => new m.SoftMaxAffineConvexFunction({ dim, pieces: 8, temperature: 0.5, seed }),
      sample: real,
      domain: 'real',
      learnable: true,
    },
    {
      name: 'LearnedQuadratic',
      make: (dim, seed) => new m.LearnedQuadratic({ dim, rank: 3, seed }),
      sample: real,
      domain: 'real',
      learnable: true,
    },
  ];
}

/**
 * S(θ) = Σᵢ cᵢ [φ(xᵢ) − φ(yᵢ) − ⟨∇φ(yᵢ), xᵢ − yᵢ⟩], a weighted sum of Bregman divergences built from φ and ∇φ:
 * the scalar whose θ-gradient training needs. Returns a scalar tensor (caller disposes).
 */
export function bregmanSum(phi: ConvexFunction, x: tf.Tensor2D, y: tf.Tensor2D, c: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => {
    const fx = phi.valueAndGrad(x, { validate: false });
    const fy = phi.valueAndGrad(y, { validate: false });
    const d = tf.sub(tf.sub(fx.value, fy.value), tf.sum(tf.mul(fy.grad, tf.sub(x, y)), 1));
    return tf.sum(tf.mul(c, d));
  });
}

/** Counts violations of φ((x+y)/2) ≤ (φ(x)+φ(y))/2 and ⟨∇φ(x) − ∇φ(y), x − y⟩ ≥ 0 (float32 round-off allowed). */
export function convexityViolations(
  phi: ConvexFunction,
  x: number[][],
  y: number[][],
): { jensen: number; monotone: number } {
  const mid = x.map((row, i) => row.map((v, j) => 0.5 * (v + y[i][j])));
  const fx = evaluate(phi, x);
  const fy = evaluate(phi, y);
  const fm = evaluate(phi, mid);
  let jensen = 0;
  let monotone = 0;
  for (let i = 0; i < x.length; i++) {
    const scale = Math.abs(fx.value[i]) + Math.abs(fy.value[i]) + Math.abs(fm.value[i]);
    if (fm.value[i] > 0.5 * (fx.value[i] + fy.value[i]) + 1e-5 * scale + 1e-6) jensen++;
    let inner = 0;
    let mag = 0;
    for (let j = 0; j < x[i].length; j++) {
      const dx = x[i][j] - y[i][j];
      inner += (fx.grad[i][j] - fy.grad[i][j]) * dx;
      mag += (Math.abs(fx.grad[i][j]) + Math.abs(fy.grad[i][j])) * Math.abs(dx);
    }
    if (inner < -1e-5 * mag - 1e-6) monotone++;
  }
  return { jensen, monotone };
}
