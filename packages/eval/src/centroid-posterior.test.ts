import { BregmanDivergence } from '@empirical-bregman/bregman-core';
import { SeededRandom } from '@empirical-bregman/common';
import { WeightedSquaredNorm } from '@empirical-bregman/convex-net';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { calibrationMetrics } from './calibration-metrics';
import { centroidPosterior } from './centroid-posterior';
import { fitTemperature } from './fit-temperature';

describe('centroidPosterior', () => {
  it('is a softmax of −D/τ with priors (hand-computed)', () => {
    const p = centroidPosterior([0, Math.log(2)], 2);
    expect(p[0]).toBeCloseTo(2 / 3, 12);
    expect(p[1]).toBeCloseTo(1 / 3, 12);
    const q = centroidPosterior([1, 1], 2, { logPriors: [Math.log(0.25), Math.log(0.75)], temperature: 3 });
    expect(Array.from(q)).toEqual([0.25, 0.75].map((v) => expect.closeTo(v, 12)));
  });

  it('with φ = ½‖x‖²/σ² and fitted centroids and τ, is the Bayes posterior of isotropic Gaussian classes', () => {
    // Known answer: classes N(μ_c, σ²I), equal priors, so p(c | x) ∝ exp(−‖x − μ_c‖² / 2σ²) = exp(−D_φ(x, μ_c)).
    const sigma = 0.8;
    const truth = [
      [0, 0],
      [2, 0],
      [1, 1.6],
    ];
    const rng = new SeededRandom(11);
    const sample = (n: number) => {
      const x = new Float32Array(n * 2);
      const y = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        y[i] = i % 3;
        x[2 * i] = truth[y[i]!]![0]! + rng.normal(0, sigma);
        x[2 * i + 1] = truth[y[i]!]![1]! + rng.normal(0, sigma);
      }
      return { x, y };
    };
    const train = sample(6000); // 2,000 points per class
    const val = sample(3000);
    const test = sample(10_000);
    // Fitted centroids: for a Bregman divergence with the centroid in the right slot, the class mean.
    const mu = new Float32Array(6);
    for (let i = 0; i < train.y.length; i++) {
      mu[2 * train.y[i]!]! += train.x[2 * i]! / 2000;
      mu[2 * train.y[i]! + 1]! += train.x[2 * i + 1]! / 2000;
    }
    const divergence = new BregmanDivergence(new WeightedSquaredNorm({ weights: [1 / sigma ** 2, 1 / sigma ** 2] }));
    const toCentroids = (x: Float32Array) =>
      tf.tidy(() => divergence.pairwise(tf.tensor2d(x, [x.length / 2, 2]), tf.tensor2d(mu, [3, 2])).dataSync());
    const { temperature } = fitTemperature(toCentroids(val.x), 3, val.y);
    const p = centroidPosterior(toCentroids(test.x), 3, { temperature });
    let gap = 0;
    for (let i = 0; i < test.y.length; i++) {
      const logits = truth.map(
        ([a, b]) => -((test.x[2 * i]! - a!) ** 2 + (test.x[2 * i + 1]! - b!) ** 2) / (2 * sigma ** 2),
      );
      const m = Math.max(...logits);
      const z = logits.reduce((s, l) => s + Math.exp(l - m), 0);
      for (let c = 0; c < 3; c++) gap += Math.abs(p[i * 3 + c]! - Math.exp(logits[c]! - m) / z);
    }
    const meanGap = gap / (test.y.length * 3);
    expect(meanGap).toBeLessThanOrEqual(0.01);
    expect(calibrationMetrics({ probabilities: p, numClasses: 3 }, test.y).ece).toBeLessThanOrEqual(0.02);
    expect(temperature).toBeGreaterThan(0.8);
    expect(temperature).toBeLessThan(1.25);
    divergence.dispose();
  });
});
