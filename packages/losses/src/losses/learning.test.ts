import * as tf from '@tensorflow/tfjs-core';
import { BregmanDivergence } from '@empirical-bregman/bregman-core';
import { SeededRandom } from '@empirical-bregman/common';
import { IcnnConvexFunction } from '@empirical-bregman/convex-net';
import { beforeAll, describe, expect, it } from 'vitest';
import { TripletMarginLoss } from '../index';

// Synthetic task: 8 Gaussian classes in ℝ^16 whose means differ only in the first 3 coordinates (the vertices of a
// cube, ±1.5, noise σ = 0.25) while the other 13 coordinates are pure noise of σ = 2. A random linear embedding
// mixes the noise in (P@1 near chance); a learned one must find the 3 informative directions.
const CLASSES = 8;
const DIM = 16;
const EMB = 4;

function sample(rng: SeededRandom, perClass: number): { x: number[][]; y: number[] } {
  const x: number[][] = [];
  const y: number[] = [];
  for (let c = 0; c < CLASSES; c++) {
    for (let k = 0; k < perClass; k++) {
      const row: number[] = [];
      for (let j = 0; j < DIM; j++) {
        row.push(j < 3 ? (((c >> j) & 1) === 1 ? 1.5 : -1.5) + 0.25 * rng.normal() : 2 * rng.normal());
      }
      x.push(row);
      y.push(c);
    }
  }
  return { x, y };
}

/** Leave-one-out P@1 with the query in the left slot: argmin_j≠i D(e_i, e_j) has the label of i. */
function precisionAt1(
  div: BregmanDivergence,
  w: tf.Tensor2D,
  x: tf.Tensor2D,
  y: number[],
): { p1: number; meanD: number } {
  const d = tf.tidy(() => div.pairwise(tf.matMul(x, w), tf.matMul(x, w)).arraySync());
  let hits = 0;
  let sum = 0;
  let count = 0;
  d.forEach((row, i) => {
    let best = -1;
    row.forEach((v, j) => {
      if (j === i) return;
      sum += v;
      count++;
      if (best < 0 || v < (row[best] as number)) best = j;
    });
    if (y[best] === y[i]) hits++;
  });
  return { p1: hits / y.length, meanD: sum / count };
}

describe('learning with a learnable ICNN Bregman divergence on a linear embedding', () => {
  const history: { step: number; p1: number; meanD: number }[] = [];

  beforeAll(() => {
    const rng = new SeededRandom(11);
    const train = sample(rng, 24);
    const test = sample(rng, 16);
    const xTrain = tf.tensor2d(train.x);
    const xTest = tf.tensor2d(test.x);
    const w = tf.variable(
      tf.tensor2d(
        Float32Array.from({ length: DIM * EMB }, () => rng.normal() / Math.sqrt(DIM)),
        [DIM, EMB],
      ),
    );
    const div = new BregmanDivergence(new IcnnConvexFunction({ dim: EMB, hiddenSizes: [16], seed: 5 }));
    const loss = new TripletMarginLoss({ divergence: div }); // default: margin 0.2 of the batch-mean divergence
    const optimizer = tf.train.adam(0.02);
    const vars = [w, ...div.trainableVariables];
    const perClass = 6;
    history.push({ step: 0, ...precisionAt1(div, w, xTest, test.y) });
    for (let step = 1; step <= 300; step++) {
      // A class-balanced batch of 8 × 6 = 48.
      const idx: number[] = [];
      for (let c = 0; c < CLASSES; c++) {
        const perm = rng.permutation(24);
        for (let k = 0; k < perClass; k++) idx.push(c * 24 + (perm[k] as number));
      }
      const labels = idx.map((i) => train.y[i] as number);
      tf.tidy(() => {
        const xb = tf.gather(xTrain, idx);
        optimizer.minimize(() => loss.compute(tf.matMul(xb, w) as tf.Tensor2D, labels), false, vars);
      });
      if (step === 200 || step % 50 === 0) history.push({ step, ...precisionAt1(div, w, xTest, test.y) });
    }
    optimizer.dispose();
    loss.dispose();
    div.dispose();
    tf.dispose([xTrain, xTest, w]);
  });

  it('200 steps of triplet loss raise P@1 from ≤ 0.3 to > 0.9', () => {
    const start = history[0]!;
    const at200 = history.find((h) => h.step === 200)!;
    expect(start.p1).toBeLessThanOrEqual(0.3);
    expect(at200.p1).toBeGreaterThan(0.9);
  });

  it('over 300 steps the mean divergence stays bounded (batch-mean scale) while P@1 improves', () => {
    const d0 = history[0]!.meanD;
    for (const h of history) {
      expect(h.meanD).toBeLessThan(5 * d0);
      expect(h.meanD).toBeGreaterThan(d0 / 20);
    }
    // Levelling off: the last 100 steps add less than 15 % (measured ≈ 7 %).
    const at200 = history.find((h) => h.step === 200)!;
    const last = history.at(-1)!;
    expect(last.step).toBe(300);
    expect(last.meanD).toBeLessThan(1.15 * at200.meanD);
    expect(last.p1).toBeGreaterThan(history[0]!.p1 + 0.5);
  });
});
