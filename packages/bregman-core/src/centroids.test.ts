import * as tf from '@tensorflow/tfjs-core';
import { SeededRandom } from '@empirical-bregman/common';
import { BurgEntropy, IcnnConvexFunction, NegativeEntropy, SoftplusSum } from '@empirical-bregman/convex-net';
import { describe, expect, it } from 'vitest';
import { BregmanDivergence } from './bregman-divergence';
import { inverseGradient } from './inverse-gradient';
import { leftCentroid } from './left-centroid';
import { rightCentroid } from './right-centroid';
import { randomMatrix } from './test-helpers';

describe('rightCentroid', () => {
  it('is the (weighted) arithmetic mean', () => {
    const x = tf.tensor2d([
      [1, 2],
      [3, 6],
      [5, -2],
    ]);
    expect(Array.from(rightCentroid(x).dataSync())).toEqual([3, 2]);
    const w = rightCentroid(x, tf.tensor1d([1, 0, 3]));
    // (1·[1, 2] + 3·[5, −2]) / 4 = [4, −1].
    expect(Array.from(w.dataSync())).toEqual([4, -1]);
    expect(() => rightCentroid(x, tf.tensor1d([1, 2]))).toThrowError(/expected weights of shape \[3\]/);
  });

  it('minimises Σ D(xᵢ, c) under KL better than perturbations of it', () => {
    const rng = new SeededRandom(4);
    const pts = randomMatrix(20, 4, () => rng.uniform(0.1, 2));
    const div = new BregmanDivergence(new NegativeEntropy({ dim: 4 }));
    const x = tf.tensor2d(pts);
    const c = rightCentroid(x);
    const objective = (centre: number[]) => tf.tidy(() => tf.sum(div.pairwise(x, tf.tensor2d([centre]))).dataSync()[0]);
    const base = objective(Array.from(c.dataSync()));
    for (let t = 0; t < 20; t++) {
      const p = Array.from(c.dataSync(), (v) => v * (1 + 0.05 * rng.normal()));
      expect(objective(p)).toBeGreaterThan(base);
    }
  });
});

describe('leftCentroid', () => {
  it('NegativeEntropy: closed form = exp(mean log xᵢ), numeric solve agrees', () => {
    const rng = new SeededRandom(11);
    const pts = randomMatrix(30, 5, () => rng.uniform(0.05, 3));
    const x = tf.tensor2d(pts);
    const expected = pts[0].map((_, j) => Math.exp(pts.reduce((s, row) => s + Math.log(row[j]), 0) / pts.length));
    const phi = new NegativeEntropy({ dim: 5 });
    const before = tf.memory().numTensors;
    const closed = leftCentroid(phi, x);
    expect(closed.method).toBe('closed-form');
    const numeric = leftCentroid(phi, x, { method: 'numeric', tolerance: 1e-5 });
    expect(numeric.method).toBe('numeric');
    expect(numeric.converged).toBe(true);
    const c = Array.from(closed.centroid.dataSync());
    const n = Array.from(numeric.centroid.dataSync());
    for (let j = 0; j < 5; j++) {
      expect(Math.abs(c[j] - expected[j]) / expected[j]).toBeLessThan(1e-5);
      expect(Math.abs(n[j] - expected[j]) / expected[j]).toBeLessThan(1e-4);
    }
    tf.dispose([closed.centroid, numeric.centroid]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('BurgEntropy: the harmonic mean, closed form and numeric', () => {
    const pts = [
      [1, 2],
      [2, 4],
      [4, 8],
    ];
    const x = tf.tensor2d(pts);
    const phi = new BurgEntropy({ dim: 2 });
    // Harmonic means: 3 / (1 + 1/2 + 1/4) = 12/7 and 24/7.
    for (const method of ['closed-form', 'numeric'] as const) {
      const r = leftCentroid(phi, x, { method, tolerance: 1e-5 });
      const c = Array.from(r.centroid.dataSync());
      expect(c[0]).toBeCloseTo(12 / 7, 3);
      expect(c[1]).toBeCloseTo(24 / 7, 3);
    }
  });

  it('weighted: ∇φ(c) is the weighted mean of ∇φ(xᵢ) (SoftplusSum, numeric vs closed form)', () => {
    const rng = new SeededRandom(2);
    const x = tf.tensor2d(randomMatrix(10, 3, () => 2 * rng.normal()));
    const w = tf.tensor1d(Array.from({ length: 10 }, () => rng.uniform(0.1, 1)));
    const phi = new SoftplusSum({ dim: 3 });
    const closed = leftCentroid(phi, x, { weights: w });
    const numeric = leftCentroid(phi, x, { weights: w, method: 'numeric', tolerance: 1e-5 });
    const a = closed.centroid.dataSync();
    const b = numeric.centroid.dataSync();
    for (let j = 0; j < 3; j++) expect(Math.abs(a[j] - b[j])).toBeLessThan(1e-3 * (1 + Math.abs(a[j])));
  });

  it('ICNN: the numeric left centroid beats 100 random perturbations of it', () => {
    const rng = new SeededRandom(21);
    const d = 4;
    const phi = new IcnnConvexFunction({ dim: d, hiddenSizes: [16, 16], seed: 3 });
    const pts = randomMatrix(25, d, () => 1.5 * rng.normal());
    const x = tf.tensor2d(pts);
    const before = tf.memory().numTensors;
    const result = leftCentroid(phi, x, { tolerance: 1e-5 });
    expect(result.method).toBe('numeric');
    expect(result.converged).toBe(true);
    const div = new BregmanDivergence(phi);
    const objective = (centre: tf.Tensor2D) => tf.tidy(() => tf.sum(div.pairwise(centre, x)).dataSync()[0]);
    const c = tf.reshape(result.centroid, [1, d]) as tf.Tensor2D;
    const base = objective(c);
    const cv = Array.from(c.dataSync());
    for (let t = 0; t < 100; t++) {
      const scale = t < 50 ? 0.01 : 0.2;
      const p = tf.tensor2d([cv.map((v) => v + scale * rng.normal())]);
      expect(objective(p)).toBeGreaterThan(base);
      p.dispose();
    }
    tf.dispose([c, result.centroid]);
    expect(tf.memory().numTensors).toBe(before);
    phi.dispose();
  });

  it('inverseGradient: closed form is refused for a generator without a conjugate; bad options are errors', () => {
    const phi = new IcnnConvexFunction({ dim: 2, hiddenSizes: [4], seed: 1 });
    const y = tf.tensor2d([[0, 0]]);
    expect(() => inverseGradient(phi, y, { method: 'closed-form' })).toThrowError(/closed-form conjugate/);
    expect(() => inverseGradient(phi, y, { tolerance: -1 })).toThrowError(/tolerance > 0/);
    expect(() => inverseGradient(phi, tf.tensor2d([[0, 0, 0]]))).toThrowError(/width 2/);
    phi.dispose();
  });
});
