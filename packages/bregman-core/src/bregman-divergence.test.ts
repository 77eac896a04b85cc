import * as tf from '@tensorflow/tfjs-core';
import { SeededRandom } from '@empirical-bregman/common';
import { BurgEntropy, NegativeEntropy, Quadratic, SquaredNorm } from '@empirical-bregman/convex-net';
import { describe, expect, it } from 'vitest';
import { BregmanCoreError } from './bregman-core-error';
import { BregmanDivergence } from './bregman-divergence';
import {
  bregmanByLoops,
  FIXED_GENERATORS,
  type Matrix,
  randomMatrix,
  randomSpd,
  toMatrix,
  worstRatio,
} from './test-helpers';

describe('BregmanDivergence', () => {
  for (const gen of FIXED_GENERATORS) {
    it(`pairwise and paired equal the definition pair by pair, both argument orders (${gen.name})`, () => {
      const rng = new SeededRandom(`pairwise-${gen.name}`);
      const d = 5;
      const a = randomMatrix(7, d, () => gen.draw(rng));
      const b = randomMatrix(4, d, () => gen.draw(rng));
      const div = new BregmanDivergence(gen.make(d), { validate: true });
      const before = tf.memory().numTensors;
      const ta = tf.tensor2d(a);
      const tb = tf.tensor2d(b);
      for (const [x, y, tx, ty] of [
        [a, b, ta, tb],
        [b, a, tb, ta],
      ] as [Matrix, Matrix, tf.Tensor2D, tf.Tensor2D][]) {
        const ref = bregmanByLoops(div.generator, x, y);
        const got = div.pairwise(tx, ty);
        expect(got.shape).toEqual([x.length, y.length]);
        expect(worstRatio(toMatrix(got), ref.d, ref.scale, 1e-5, 1e-6)).toBeLessThanOrEqual(1);
        got.dispose();
        // paired on aligned rows (the first min(n) rows).
        const n = Math.min(x.length, y.length);
        const px = tf.slice(tx, [0, 0], [n, d]);
        const py = tf.slice(ty, [0, 0], [n, d]);
        const paired = div.paired(px, py);
        const diag = ref.d.slice(0, n).map((row, i) => [row[i]]);
        const scale = ref.scale.slice(0, n).map((row, i) => [row[i]]);
        expect(
          worstRatio(
            (paired.arraySync() as number[]).map((v) => [v]),
            diag,
            scale,
            1e-5,
            1e-6,
          ),
        ).toBeLessThanOrEqual(1);
        tf.dispose([paired, px, py]);
      }
      tf.dispose([ta, tb]);
      expect(tf.memory().numTensors).toBe(before);
      div.dispose();
    });
  }

  it('SquaredNorm gives ½‖x − y‖²', () => {
    const a = [
      [1, 2, 3],
      [0, -1, 0.5],
    ];
    const b = [
      [0, 0, 0],
      [1, 1, 1],
      [-2, 0, 4],
    ];
    const div = new BregmanDivergence(new SquaredNorm({ dim: 3 }));
    const got = toMatrix(div.pairwise(tf.tensor2d(a), tf.tensor2d(b)));
    const expected = a.map((x) => b.map((y) => 0.5 * x.reduce((s, v, k) => s + (v - y[k]) ** 2, 0)));
    expect(worstRatio(got, expected, null, 1e-6, 1e-6)).toBeLessThanOrEqual(1);
  });

  it('Quadratic gives the Mahalanobis divergence ½(x − y)ᵀA(x − y)', () => {
    const rng = new SeededRandom(3);
    const m = randomSpd(4, rng);
    const a = randomMatrix(5, 4, () => rng.normal());
    const b = randomMatrix(6, 4, () => rng.normal());
    const div = new BregmanDivergence(new Quadratic({ matrix: m }));
    const got = toMatrix(div.pairwise(tf.tensor2d(a), tf.tensor2d(b)));
    const expected = a.map((x) =>
      b.map((y) => {
        const v = x.map((xi, k) => xi - y[k]);
        let s = 0;
        for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) s += v[i] * m[i][j] * v[j];
        return 0.5 * s;
      }),
    );
    expect(worstRatio(got, expected, null, 1e-5, 1e-5)).toBeLessThanOrEqual(1);
  });

  it('NegativeEntropy gives generalised KL Σ x log(x/y) − x + y, asymmetric, both directions checked', () => {
    const x = [[0.7, 0.2, 0.1]];
    const y = [[0.1, 0.3, 0.6]];
    const kl = (p: number[], q: number[]) => p.reduce((s, pi, k) => s + pi * Math.log(pi / q[k]) - pi + q[k], 0);
    const div = new BregmanDivergence(new NegativeEntropy({ dim: 3 }));
    const xy = toMatrix(div.pairwise(tf.tensor2d(x), tf.tensor2d(y)))[0][0];
    const yx = toMatrix(div.pairwise(tf.tensor2d(y), tf.tensor2d(x)))[0][0];
    expect(xy).toBeCloseTo(kl(x[0], y[0]), 5);
    expect(yx).toBeCloseTo(kl(y[0], x[0]), 5);
    // The two directions differ by far more than round-off: 1.1019 vs 1.0021 (hand-computed from the formula).
    expect(Math.abs(xy - yx)).toBeGreaterThan(0.05);
    expect(div.symmetric).toBe(false);
  });

  it('BurgEntropy gives Itakura–Saito Σ x/y − log(x/y) − 1', () => {
    const x = [
      [1, 2],
      [0.5, 4],
    ];
    const y = [
      [2, 2],
      [1, 0.25],
      [3, 1],
    ];
    const is = (p: number[], q: number[]) => p.reduce((s, pi, k) => s + pi / q[k] - Math.log(pi / q[k]) - 1, 0);
    const div = new BregmanDivergence(new BurgEntropy({ dim: 2 }));
    const got = toMatrix(div.pairwise(tf.tensor2d(x), tf.tensor2d(y)));
    const expected = x.map((p) => y.map((q) => is(p, q)));
    expect(worstRatio(got, expected, null, 1e-5, 1e-5)).toBeLessThanOrEqual(1);
    const back = toMatrix(div.pairwise(tf.tensor2d(y), tf.tensor2d(x)));
    expect(
      worstRatio(
        back,
        y.map((q) => x.map((p) => is(q, p))),
        null,
        1e-5,
        1e-5,
      ),
    ).toBeLessThanOrEqual(1);
  });

  it('pairwise(X, X) reuses φ(X) and has a zero diagonal', () => {
    const rng = new SeededRandom(5);
    const x = tf.tensor2d(randomMatrix(6, 3, () => rng.uniform(0.1, 3)));
    const div = new BregmanDivergence(new NegativeEntropy({ dim: 3 }));
    const d = toMatrix(div.pairwise(x, x));
    for (let i = 0; i < 6; i++) expect(Math.abs(d[i][i])).toBeLessThan(1e-5);
    for (const row of d) for (const v of row) expect(v).toBeGreaterThanOrEqual(0);
  });

  it('gives clear errors for bad ranks and width mismatches', () => {
    const div = new BregmanDivergence(new SquaredNorm({ dim: 3 }));
    const good = tf.zeros([2, 3]) as tf.Tensor2D;
    const wide = tf.zeros([2, 4]) as tf.Tensor2D;
    const vec = tf.zeros([3]) as unknown as tf.Tensor2D;
    expect(() => div.pairwise(good, wide)).toThrowError(BregmanCoreError);
    expect(() => div.pairwise(wide, wide)).toThrowError(
      /expected a of width 3 \(the generator's dimension\), got a tensor of shape \[2, 4\]/,
    );
    expect(() => div.pairwise(vec, good)).toThrowError(/expected a of rank 2/);
    expect(() => div.paired(good, tf.zeros([3, 3]) as tf.Tensor2D)).toThrowError(/same number of rows/);
    try {
      div.pairwise(good, wide);
    } catch (error) {
      expect((error as BregmanCoreError).code).toBe('INVALID_SHAPE');
    }
  });

  it('clamps tiny negatives to 0 and, with validate, reports large negatives (a non-convex "generator")', () => {
    // φ(x) = −½‖x‖² is concave: D = −½‖x − y‖², clearly negative, which validate must report.
    const concave = {
      type: 'Concave',
      dim: 2,
      trainableVariables: [],
      valueAndGrad: (x: tf.Tensor2D) =>
        tf.tidy(() => ({
          value: tf.mul(-0.5, tf.sum(tf.square(x), 1)) as tf.Tensor1D,
          grad: tf.neg(x) as tf.Tensor2D,
        })),
      toJSON: () => ({ type: 'Concave', config: {}, weights: {} }),
      dispose: () => {},
    };
    const a = tf.tensor2d([[1, 0]]);
    const b = tf.tensor2d([[0, 1]]);
    const quiet = new BregmanDivergence(concave);
    expect(toMatrix(quiet.pairwise(a, b))).toEqual([[0]]);
    const checked = new BregmanDivergence(concave, { validate: true });
    const before = tf.memory().numTensors;
    expect(() => checked.pairwise(a, b)).toThrowError(/expected divergences >= 0/);
    expect(() => checked.paired(a, b)).toThrowError(BregmanCoreError);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('validate reports inputs outside the generator domain', () => {
    const div = new BregmanDivergence(new NegativeEntropy({ dim: 2 }), { validate: true });
    expect(() => div.pairwise(tf.tensor2d([[1, -1]]), tf.tensor2d([[1, 1]]))).toThrow();
  });
});
