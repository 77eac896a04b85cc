import * as tf from '@tensorflow/tfjs-core';
import { SeededRandom } from '@empirical-bregman/common';
import { IcnnConvexFunction, LearnedQuadratic, NegativeEntropy } from '@empirical-bregman/convex-net';
import { describe, expect, it } from 'vitest';
import { BregmanDivergence } from './bregman-divergence';
import { type Matrix, randomMatrix, toMatrix } from './test-helpers';

/** L = Σᵢⱼ Wᵢⱼ D(Aᵢ, Bⱼ), the scalar whose gradients are checked. */
function weightedSum(div: BregmanDivergence, a: tf.Tensor2D, b: tf.Tensor2D, w: tf.Tensor2D): tf.Scalar {
  return tf.sum(tf.mul(div.pairwise(a, b), w));
}

describe('gradients through pairwise', () => {
  it('KL: ∂L/∂A and ∂L/∂B equal the closed forms Σⱼ Wᵢⱼ log(Aᵢ/Bⱼ) and Σᵢ Wᵢⱼ (1 − Aᵢ/Bⱼ) (float64)', () => {
    const rng = new SeededRandom(1);
    const a = randomMatrix(4, 3, () => rng.uniform(0.2, 2));
    const b = randomMatrix(5, 3, () => rng.uniform(0.2, 2));
    const w = randomMatrix(4, 5, () => rng.uniform(-1, 1));
    const div = new BregmanDivergence(new NegativeEntropy({ dim: 3 }));
    const [ta, tb, tw] = [tf.tensor2d(a), tf.tensor2d(b), tf.tensor2d(w)];
    const before = tf.memory().numTensors;
    const [ga, gb] = tf.grads((x: tf.Tensor, y: tf.Tensor) => weightedSum(div, x as tf.Tensor2D, y as tf.Tensor2D, tw))(
      [ta, tb],
    );
    const expA = a.map((ai) =>
      ai.map((v, k) => b.reduce((s, bj, j) => s + w[a.indexOf(ai)][j] * Math.log(v / bj[k]), 0)),
    );
    const expB = b.map((bj, j) => bj.map((v, k) => a.reduce((s, ai, i) => s + w[i][j] * (1 - ai[k] / v), 0)));
    const check = (got: Matrix, exp: Matrix) => {
      for (let i = 0; i < exp.length; i++)
        for (let k = 0; k < exp[i].length; k++)
          expect(Math.abs(got[i][k] - exp[i][k])).toBeLessThan(1e-4 * (1 + Math.abs(exp[i][k])));
    };
    check(toMatrix(ga), expA);
    check(toMatrix(gb), expB);
    tf.dispose([ga, gb]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('LearnedQuadratic: ∂L/∂L_factor equals Σᵢⱼ Wᵢⱼ (Aᵢ − Bⱼ)(Aᵢ − Bⱼ)ᵀ L (float64)', () => {
    const rng = new SeededRandom(2);
    const d = 3;
    const phi = new LearnedQuadratic({ dim: d, rank: 2, seed: 9 });
    const div = new BregmanDivergence(phi);
    const a = randomMatrix(4, d, () => rng.normal());
    const b = randomMatrix(3, d, () => rng.normal());
    const w = randomMatrix(4, 3, () => rng.uniform(0, 1));
    const [ta, tb, tw] = [tf.tensor2d(a), tf.tensor2d(b), tf.tensor2d(w)];
    expect(div.trainableVariables).toHaveLength(1);
    const variable = div.trainableVariables[0];
    const l = variable.arraySync() as Matrix;
    const { grads, value } = tf.variableGrads(() => weightedSum(div, ta, tb, tw), div.trainableVariables);
    const got = toMatrix(grads[variable.name]);
    for (let p = 0; p < d; p++) {
      for (let r = 0; r < 2; r++) {
        let s = 0;
        for (let i = 0; i < a.length; i++)
          for (let j = 0; j < b.length; j++) {
            const v = a[i].map((x, k) => x - b[j][k]);
            s += w[i][j] * v[p] * v.reduce((acc, vk, k) => acc + vk * l[k][r], 0);
          }
        expect(Math.abs(got[p][r] - s)).toBeLessThan(1e-4 * (1 + Math.abs(s)));
      }
    }
    tf.dispose([value, ...Object.values(grads)]);
    phi.dispose();
  });

  it('ICNN: gradients with respect to A, B and every variable match central finite differences', () => {
    const rng = new SeededRandom(3);
    const d = 3;
    const phi = new IcnnConvexFunction({ dim: d, hiddenSizes: [8, 8], seed: 4 });
    const div = new BregmanDivergence(phi);
    const a = randomMatrix(3, d, () => rng.normal());
    const b = randomMatrix(4, d, () => rng.normal());
    const w = randomMatrix(3, 4, () => rng.uniform(0.2, 1));
    const tw = tf.tensor2d(w);
    const loss = (am: Matrix, bm: Matrix) =>
      tf.tidy(() => weightedSum(div, tf.tensor2d(am), tf.tensor2d(bm), tw).dataSync()[0]);
    const before = tf.memory().numTensors;
    const [ga, gb] = tf.tidy(() => {
      const [x, y] = tf.grads((x: tf.Tensor, y: tf.Tensor) => weightedSum(div, x as tf.Tensor2D, y as tf.Tensor2D, tw))(
        [tf.tensor2d(a), tf.tensor2d(b)],
      );
      return [toMatrix(x), toMatrix(y)];
    });
    const h = 1e-2;
    const fdCheck = (analytic: number, plus: number, minus: number) => {
      const fd = (plus - minus) / (2 * h);
      expect(Math.abs(analytic - fd)).toBeLessThan(2e-2 * (1 + Math.abs(fd)));
    };
    for (const [m, g, isA] of [
      [a, ga, true],
      [b, gb, false],
    ] as [Matrix, Matrix, boolean][]) {
      for (let i = 0; i < m.length; i++) {
        for (let k = 0; k < d; k++) {
          const plus = m.map((row) => [...row]);
          const minus = m.map((row) => [...row]);
          plus[i][k] += h;
          minus[i][k] -= h;
          fdCheck(g[i][k], isA ? loss(plus, b) : loss(a, plus), isA ? loss(minus, b) : loss(a, minus));
        }
      }
    }
    const ta = tf.tensor2d(a);
    const tb = tf.tensor2d(b);
    const { grads, value } = tf.variableGrads(() => weightedSum(div, ta, tb, tw), div.trainableVariables);
    value.dispose();
    for (const variable of div.trainableVariables) {
      const g = grads[variable.name].dataSync();
      const original = variable.dataSync().slice();
      // Up to 6 entries per variable, spread over it.
      const count = Math.min(6, original.length);
      for (let t = 0; t < count; t++) {
        const idx = Math.floor((t * original.length) / count);
        const shifted = (delta: number) => {
          const values = original.slice();
          values[idx] += delta;
          tf.tidy(() => variable.assign(tf.tensor(values, variable.shape)));
          return loss(a, b);
        };
        const plus = shifted(h);
        const minus = shifted(-h);
        tf.tidy(() => variable.assign(tf.tensor(original, variable.shape)));
        fdCheck(g[idx], plus, minus);
      }
    }
    tf.dispose([ta, tb, ...Object.values(grads)]);
    expect(tf.memory().numTensors).toBe(before);
    phi.dispose();
  });
});
