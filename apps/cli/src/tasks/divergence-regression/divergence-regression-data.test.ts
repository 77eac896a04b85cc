import { BregmanDivergence } from '@empirical-bregman/bregman-core';
import { SeededRandom } from '@empirical-bregman/common';
import { ExponentialSum } from '@empirical-bregman/convex-net';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { divergenceRegressionData, exponentialDivergence } from './divergence-regression-data';

describe('exponentialDivergence', () => {
  it('matches hand-computed values and is asymmetric', () => {
    // D([1], [0]) = e − 1 − 1·(1 − 0) = e − 2; D([0], [1]) = 1 − e − e·(0 − 1) = 1.
    expect(exponentialDivergence([1], [0])).toBeCloseTo(Math.E - 2, 14);
    expect(exponentialDivergence([0], [1])).toBeCloseTo(1, 14);
    // Coordinates add up: D([1, 0], [0, 1]) = (e − 2) + 1.
    expect(exponentialDivergence([1, 0], [0, 1])).toBeCloseTo(Math.E - 1, 14);
    expect(exponentialDivergence([0.3, -0.7], [0.3, -0.7])).toBe(0);
  });

  it('is φ(x) − φ(y) − ⟨∇φ(y), x − y⟩ for φ = Σ e^{xᵢ}, and agrees with convex-net ExponentialSum', () => {
    const rng = new SeededRandom('definition');
    const phi = (v: number[]) => v.reduce((s, vi) => s + Math.exp(vi), 0);
    const xs: number[][] = [];
    const ys: number[][] = [];
    for (let k = 0; k < 20; k++) {
      const x = Array.from({ length: 5 }, () => rng.uniform(-2, 2));
      const y = Array.from({ length: 5 }, () => rng.uniform(-2, 2));
      const inner = y.reduce((s, yi, i) => s + Math.exp(yi) * (x[i]! - yi), 0);
      expect(exponentialDivergence(x, y)).toBeCloseTo(phi(x) - phi(y) - inner, 12);
      xs.push(x);
      ys.push(y);
    }
    const bregman = new BregmanDivergence(new ExponentialSum({ dim: 5 }));
    const d = tf.tidy(() => bregman.paired(tf.tensor2d(xs), tf.tensor2d(ys)));
    const fromPackage = Array.from(d.dataSync());
    d.dispose();
    bregman.dispose();
    for (const [k, v] of fromPackage.entries()) expect(v).toBeCloseTo(exponentialDivergence(xs[k]!, ys[k]!), 4);
  });
});

describe('divergenceRegressionData', () => {
  it('is deterministic for a seed, and its test pairs do not depend on the number of training pairs', () => {
    const a = divergenceRegressionData({ dim: 4, train: 50, val: 20, test: 30, seed: 7 });
    const b = divergenceRegressionData({ dim: 4, train: 50, val: 20, test: 30, seed: 7 });
    const c = divergenceRegressionData({ dim: 4, train: 80, val: 20, test: 30, seed: 7 });
    const other = divergenceRegressionData({ dim: 4, train: 50, val: 20, test: 30, seed: 8 });
    expect(a).toEqual(b);
    expect(c.test).toEqual(a.test);
    expect(other.train.x).not.toEqual(a.train.x);
    expect(a.train.x).toHaveLength(200);
    expect(a.train.x.every((v) => v >= -1 && v <= 1)).toBe(true);
    for (let k = 0; k < a.test.count; k++) {
      const x = a.test.x.subarray(4 * k, 4 * k + 4);
      const y = a.test.y.subarray(4 * k, 4 * k + 4);
      expect(a.test.target[k]).toBe(exponentialDivergence(x, y));
      expect(a.test.reverseTarget[k]).toBe(exponentialDivergence(y, x));
    }
  });

  it('rejects impossible sizes with one line', () => {
    expect(() => divergenceRegressionData({ dim: 0, train: 1, val: 1, test: 1, seed: 1 })).toThrow(
      /^divergenceRegressionData: expected dim to be a positive integer, got 0$/,
    );
  });
});
