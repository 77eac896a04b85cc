import * as tf from '@tensorflow/tfjs-core';
import { SeededRandom } from '@empirical-bregman/common';
import { describe, expect, it } from 'vitest';
import { BregmanCoreError } from './bregman-core-error';
import { CosineDivergence } from './cosine-divergence';
import { EuclideanDivergence } from './euclidean-divergence';
import { SquaredEuclideanDivergence } from './squared-euclidean-divergence';
import { randomMatrix, toMatrix, worstRatio } from './test-helpers';

const sq = (x: number[], y: number[]) => x.reduce((s, v, k) => s + (v - y[k]) ** 2, 0);
const cos = (x: number[], y: number[]) => {
  const dot = x.reduce((s, v, k) => s + v * y[k], 0);
  const nx = Math.sqrt(x.reduce((s, v) => s + v * v, 0));
  const ny = Math.sqrt(y.reduce((s, v) => s + v * v, 0));
  return 1 - dot / (nx * ny);
};

const cases = [
  { name: 'SquaredEuclideanDivergence', make: () => new SquaredEuclideanDivergence(), ref: sq },
  {
    name: 'EuclideanDivergence',
    make: () => new EuclideanDivergence(),
    ref: (x: number[], y: number[]) => Math.sqrt(sq(x, y)),
  },
  { name: 'CosineDivergence', make: () => new CosineDivergence(), ref: cos },
];

describe('fixed divergences', () => {
  for (const c of cases) {
    it(`${c.name}: pairwise and paired equal the formula, any width, symmetric, no leak`, () => {
      const rng = new SeededRandom(c.name);
      const a = randomMatrix(5, 7, () => rng.normal());
      const b = randomMatrix(3, 7, () => rng.normal());
      const div = c.make();
      expect(div.dim).toBeNull();
      expect(div.symmetric).toBe(true);
      const ta = tf.tensor2d(a);
      const tb = tf.tensor2d(b);
      const before = tf.memory().numTensors;
      const got = div.pairwise(ta, tb);
      expect(
        worstRatio(
          toMatrix(got),
          a.map((x) => b.map((y) => c.ref(x, y))),
          null,
          1e-5,
          1e-5,
        ),
      ).toBeLessThanOrEqual(1);
      const pa = tf.slice(ta, [0, 0], [3, 7]) as tf.Tensor2D;
      const paired = div.paired(pa, tb);
      const expected = b.map((y, i) => [c.ref(a[i], y)]);
      expect(
        worstRatio(
          (paired.arraySync() as number[]).map((v) => [v]),
          expected,
          null,
          1e-5,
          1e-5,
        ),
      ).toBeLessThanOrEqual(1);
      tf.dispose([got, pa, paired]);
      expect(tf.memory().numTensors).toBe(before);
      expect(div.toJSON()).toEqual({ type: c.name, config: {} });
      expect(() => div.pairwise(ta, tf.zeros([2, 6]) as tf.Tensor2D)).toThrowError(BregmanCoreError);
      tf.dispose([ta, tb]);
    });
  }

  it('EuclideanDivergence has value 0 and a finite (zero) gradient at coincident points', () => {
    const x = tf.tensor2d([
      [1, 2],
      [3, 4],
    ]);
    const div = new EuclideanDivergence();
    const g = tf.grad((v: tf.Tensor) => tf.sum(div.pairwise(v as tf.Tensor2D, v as tf.Tensor2D)))(x);
    const d = toMatrix(div.pairwise(x, x));
    expect(d[0][0]).toBe(0);
    expect(d[0][1]).toBeCloseTo(Math.sqrt(8), 5);
    // Off-diagonal gradient of Σ_ij ‖x_i − x_j‖ w.r.t. x_0: 2 (x_0 − x_1)/‖x_0 − x_1‖ = 2·(−1, −1)/√2.
    const gv = toMatrix(g);
    expect(gv[0][0]).toBeCloseTo(-Math.SQRT2, 4);
    expect(gv[0][1]).toBeCloseTo(-Math.SQRT2, 4);
    for (const row of gv) for (const v of row) expect(Number.isFinite(v)).toBe(true);
  });

  it('EuclideanDivergence.paired has value 0 and a zero gradient at coincident rows, ±(x − y)/‖x − y‖ elsewhere', () => {
    const x = tf.tensor2d([
      [1, 2],
      [0, 0],
    ]);
    const y = tf.tensor2d([
      [1, 2],
      [3, 4],
    ]);
    const div = new EuclideanDivergence();
    const before = tf.memory().numTensors;
    const [gx, gy] = tf.tidy(() =>
      tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(div.paired(a as tf.Tensor2D, b as tf.Tensor2D)))([x, y]),
    );
    const d = div.paired(x, y);
    // By hand: ‖(1, 2) − (1, 2)‖ = 0; ‖(0, 0) − (3, 4)‖ = 5, gradient w.r.t. x₁ (x₁ − y₁)/5 = (−0.6, −0.8).
    expect(Array.from(d.dataSync())).toEqual([0, 5]);
    const gxv = toMatrix(gx);
    const gyv = toMatrix(gy);
    expect(gxv[0]).toEqual([0, 0]);
    expect(gyv[0]).toEqual([0, 0]);
    expect(gxv[1][0]).toBeCloseTo(-0.6, 6);
    expect(gxv[1][1]).toBeCloseTo(-0.8, 6);
    expect(gyv[1][0]).toBeCloseTo(0.6, 6);
    expect(gyv[1][1]).toBeCloseTo(0.8, 6);
    tf.dispose([gx, gy, d]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, y]);
  });

  it('CosineDivergence: a zero row has D = 1 and a zero gradient; other rows keep the finite-difference gradient', () => {
    // Float64 reference with the same convention: D = 1 when either row is zero.
    const ref = (x: number[], y: number[]) => (x.every((v) => v === 0) || y.every((v) => v === 0) ? 1 : cos(x, y));
    const a = [
      [1, 2, -1],
      [0, 0, 0],
      [-0.5, 0.3, 2],
    ];
    const b = [
      [3, 4, 0],
      [0, 0, 0],
      [0.2, -1, 0.7],
      [-2, 1, 1],
    ];
    const div = new CosineDivergence();
    const ta = tf.tensor2d(a);
    const tb = tf.tensor2d(b);
    const before = tf.memory().numTensors;
    const dt = div.pairwise(ta, tb);
    const d = toMatrix(dt);
    dt.dispose();
    // By hand: D([1, 2, −1], [3, 4, 0]) = 1 − 11 / (√6 · 5); every pair with a zero row is 1.
    expect(d[0][0]).toBeCloseTo(1 - 11 / (Math.sqrt(6) * 5), 6);
    for (let j = 0; j < 4; j++) expect(d[1][j]).toBe(1);
    for (let i = 0; i < 3; i++) expect(d[i][1]).toBe(1);
    expect(
      worstRatio(
        d,
        a.map((x) => b.map((y) => ref(x, y))),
        null,
        1e-5,
        1e-5,
      ),
    ).toBeLessThanOrEqual(1);

    // Loss L(A, B) = Σ_ij w_ij D(A_i, B_j), fixed weights so no gradient cancels by symmetry.
    const w = randomMatrix(
      3,
      4,
      (() => {
        const rng = new SeededRandom('cosine-zero-row');
        return () => rng.uniform(0.5, 1.5);
      })(),
    );
    const tw = tf.tensor2d(w);
    const [ga, gb] = tf.tidy(() =>
      tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(div.pairwise(x as tf.Tensor2D, y as tf.Tensor2D), tw)))([
        ta,
        tb,
      ]),
    );
    const gaPaired = tf.tidy(() => {
      const b3 = tf.slice(tb, [0, 0], [3, 3]) as tf.Tensor2D;
      return tf.grad((x: tf.Tensor) => tf.sum(div.paired(x as tf.Tensor2D, b3)))(ta);
    });
    const loss = (aa: number[][], bb: number[][]) =>
      aa.reduce((s, x, i) => s + bb.reduce((t, y, j) => t + w[i][j] * ref(x, y), 0), 0);
    const centralDifference = (which: 'a' | 'b', i: number, k: number) => {
      const h = 1e-6;
      const shift = (m: number[][], delta: number) =>
        m.map((row, r) => row.map((v, c) => (r === i && c === k ? v + delta : v)));
      return which === 'a'
        ? (loss(shift(a, h), b) - loss(shift(a, -h), b)) / (2 * h)
        : (loss(a, shift(b, h)) - loss(a, shift(b, -h))) / (2 * h);
    };
    for (const [which, g, rows] of [
      ['a', toMatrix(ga), 3],
      ['b', toMatrix(gb), 4],
    ] as const) {
      for (let i = 0; i < rows; i++) {
        for (let k = 0; k < 3; k++) {
          const got = g[i][k];
          expect(Number.isFinite(got)).toBe(true);
          // The zero rows: exactly 0 (the convention), not NaN and not ±1/ε.
          if (i === 1) expect(got).toBe(0);
          else expect(got).toBeCloseTo(centralDifference(which, i, k), 4);
        }
      }
    }
    const gp = toMatrix(gaPaired);
    expect(gp[1]).toEqual([0, 0, 0]);
    for (const row of gp) for (const v of row) expect(Number.isFinite(v)).toBe(true);
    tf.dispose([ga, gb, gaPaired, tw]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([ta, tb]);
  });

  it('CosineDivergence is scale invariant and in [0, 2]', () => {
    const div = new CosineDivergence();
    const d = toMatrix(
      div.pairwise(
        tf.tensor2d([[1, 0]]),
        tf.tensor2d([
          [5, 0],
          [0, 2],
          [-3, 0],
        ]),
      ),
    );
    expect(d[0][0]).toBeCloseTo(0, 6);
    expect(d[0][1]).toBeCloseTo(1, 6);
    expect(d[0][2]).toBeCloseTo(2, 6);
  });
});
