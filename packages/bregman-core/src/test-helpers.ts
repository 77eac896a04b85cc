/**
 * Shared test fixtures (not exported from the index): random inputs in each generator's domain, float64 reference
 * computations written from the formulas.
 */
import * as tf from '@tensorflow/tfjs-core';
import { SeededRandom } from '@empirical-bregman/common';
import {
  BurgEntropy,
  type ConvexFunction,
  ExponentialSum,
  IcnnConvexFunction,
  LearnedQuadratic,
  MaxAffineConvexFunction,
  NegativeEntropy,
  Quadratic,
  SoftMaxAffineConvexFunction,
  SoftplusSum,
  SquaredNorm,
  WeightedSquaredNorm,
} from '@empirical-bregman/convex-net';

export type Matrix = number[][];

/** n × d numbers from `draw`. */
export function randomMatrix(n: number, d: number, draw: () => number): Matrix {
  return Array.from({ length: n }, () => Array.from({ length: d }, draw));
}

export function toMatrix(t: tf.Tensor): Matrix {
  return t.arraySync() as Matrix;
}

/** A random symmetric positive definite matrix LLᵀ + 0.5 I (float64). */
export function randomSpd(d: number, rng: SeededRandom): Matrix {
  const l = randomMatrix(d, d, () => rng.normal() / Math.sqrt(d));
  const out: Matrix = [];
  for (let i = 0; i < d; i++) {
    out.push([]);
    for (let j = 0; j < d; j++) {
      let s = i === j ? 0.5 : 0;
      for (let k = 0; k < d; k++) s += l[i][k] * l[j][k];
      out[i].push(s);
    }
  }
  // Exact symmetry in float64.
  for (let i = 0; i < d; i++) for (let j = 0; j < i; j++) out[i][j] = out[j][i];
  return out;
}

export interface GeneratorCase {
  readonly name: string;
  readonly make: (d: number) => ConvexFunction;
  /** A random input in φ's domain, at moderate scale. */
  readonly draw: (rng: SeededRandom) => number;
}

/** Every fixed generator of convex-net, with a domain-respecting input distribution. */
export const FIXED_GENERATORS: readonly GeneratorCase[] = [
  { name: 'SquaredNorm', make: (d) => new SquaredNorm({ dim: d }), draw: (r) => r.normal() },
  {
    name: 'WeightedSquaredNorm',
    make: (d) => new WeightedSquaredNorm({ weights: Array.from({ length: d }, (_, i) => 0.5 + i) }),
    draw: (r) => r.normal(),
  },
  {
    name: 'Quadratic',
    make: (d) => new Quadratic({ matrix: randomSpd(d, new SeededRandom(d)) }),
    draw: (r) => r.normal(),
  },
  { name: 'NegativeEntropy', make: (d) => new NegativeEntropy({ dim: d }), draw: (r) => r.uniform(0.05, 2) },
  { name: 'BurgEntropy', make: (d) => new BurgEntropy({ dim: d }), draw: (r) => r.uniform(0.2, 2) },
  { name: 'ExponentialSum', make: (d) => new ExponentialSum({ dim: d }), draw: (r) => r.uniform(-1.5, 1.5) },
  { name: 'SoftplusSum', make: (d) => new SoftplusSum({ dim: d }), draw: (r) => 2 * r.normal() },
];

/** φ's values and gradients per row, as float64 JS arrays (from the generator's own float32 outputs). */
export function generatorRows(phi: ConvexFunction, x: Matrix): { value: number[]; grad: Matrix } {
  return tf.tidy(() => {
    const { value, grad } = phi.valueAndGrad(tf.tensor2d(x));
    return { value: value.arraySync() as number[], grad: grad.arraySync() as Matrix };
  });
}

/**
 * The definition pair by pair, in float64: D(a_i, b_j) = φ(a_i) − φ(b_j) − ⟨∇φ(b_j), a_i − b_j⟩, with the
 * magnitude of the terms |φ(a)| + |φ(b)| + |⟨∇φ(b), a⟩| + |⟨∇φ(b), b⟩| for tolerances.
 */
export function bregmanByLoops(phi: ConvexFunction, a: Matrix, b: Matrix): { d: Matrix; scale: Matrix } {
  const fa = generatorRows(phi, a);
  const fb = generatorRows(phi, b);
  const d: Matrix = [];
  const scale: Matrix = [];
  for (let i = 0; i < a.length; i++) {
    d.push([]);
    scale.push([]);
    for (let j = 0; j < b.length; j++) {
      let inner = 0;
      let ga = 0;
      let gb = 0;
      for (let k = 0; k < a[i].length; k++) {
        inner += fb.grad[j][k] * (a[i][k] - b[j][k]);
        ga += fb.grad[j][k] * a[i][k];
        gb += fb.grad[j][k] * b[j][k];
      }
      d[i].push(fa.value[i] - fb.value[j] - inner);
      scale[i].push(Math.abs(fa.value[i]) + Math.abs(fb.value[j]) + Math.abs(ga) + Math.abs(gb));
    }
  }
  return { d, scale };
}

/** Largest |actual − expected| / (relative · scale + absolute) over all entries (≤ 1 means within tolerance). */
export function worstRatio(
  actual: Matrix,
  expected: Matrix,
  scale: Matrix | null,
  relative: number,
  absolute: number,
): number {
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    for (let j = 0; j < expected[i].length; j++) {
      const s = scale === null ? Math.abs(expected[i][j]) : scale[i][j];
      const r = Math.abs(actual[i][j] - expected[i][j]) / (relative * s + absolute);
      if (!(r <= worst)) worst = r;
    }
  }
  return worst;
}

/** Every learnable generator of convex-net (small, seeded), with inputs at unit scale. */
export const LEARNABLE_GENERATORS: readonly GeneratorCase[] = [
  {
    name: 'IcnnConvexFunction (softplus)',
    make: (d) => new IcnnConvexFunction({ dim: d, hiddenSizes: [16, 16], seed: 1 }),
    draw: (r) => r.normal(),
  },
  {
    name: 'IcnnConvexFunction (relu)',
    make: (d) => new IcnnConvexFunction({ dim: d, hiddenSizes: [16, 16], activation: 'relu', seed: 2 }),
    draw: (r) => r.normal(),
  },
  {
    name: 'MaxAffineConvexFunction',
    make: (d) => new MaxAffineConvexFunction({ dim: d, pieces: 8, seed: 3 }),
    draw: (r) => r.normal(),
  },
  {
    name: 'SoftMaxAffineConvexFunction',
    make: (d) => new SoftMaxAffineConvexFunction({ dim: d, pieces: 8, temperature: 0.5, seed: 4 }),
    draw: (r) => r.normal(),
  },
  {
    name: 'LearnedQuadratic',
    make: (d) => new LearnedQuadratic({ dim: d, rank: 2, seed: 5 }),
    draw: (r) => r.normal(),
  },
];
