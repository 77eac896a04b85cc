import { SeededRandom } from '@empirical-bregman/common';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { convexityViolations, generatorCases } from './test-support';

// Convexity must hold for *any* parameter values: after random parameters and after 50 optimiser steps with a
// large learning rate on an objective that rewards concavity (it minimises the Jensen gap and the gradient
// monotonicity term), φ stays convex by construction.
const DIM = 5;

describe.each(generatorCases().filter((c) => c.learnable))('$name', (c) => {
  it('stays convex for random parameters and after 50 adversarial Adam steps (lr 0.5)', () => {
    const phi = c.make(DIM, 21);
    const rng = new SeededRandom(22);
    // Random parameters, far from the initialisation.
    for (const v of phi.trainableVariables) {
      tf.tidy(() => v.assign(tf.tensor(rng.normalArray(v.size, 0, 2), v.shape)));
    }
    expect(convexityViolations(phi, c.sample(rng, 1000, DIM), c.sample(rng, 1000, DIM))).toEqual({
      jensen: 0,
      monotone: 0,
    });

    const x = tf.tensor2d(c.sample(rng, 32, DIM));
    const y = tf.tensor2d(c.sample(rng, 32, DIM));
    const mid = tf.tidy(() => tf.mul(0.5, tf.add(x, y))) as tf.Tensor2D;
    const optimizer = tf.train.adam(0.5);
    const costs: number[] = [];
    for (let step = 0; step < 50; step++) {
      const cost = optimizer.minimize(
        () => {
          const fx = phi.valueAndGrad(x, { validate: false });
          const fy = phi.valueAndGrad(y, { validate: false });
          const fm = phi.valueAndGrad(mid, { validate: false });
          const jensenGap = tf.sub(tf.mul(0.5, tf.add(fx.value, fy.value)), fm.value);
          const monotone = tf.sum(tf.mul(tf.sub(fx.grad, fy.grad), tf.sub(x, y)), 1);
          return tf.mean(tf.add(jensenGap, monotone)) as tf.Scalar;
        },
        true,
        phi.trainableVariables,
      );
      costs.push(cost!.dataSync()[0]);
      cost!.dispose();
    }
    optimizer.dispose();
    tf.dispose([x, y, mid]);
    // The adversary made progress (the objective went down), yet convexity survived.
    expect(Math.min(...costs.slice(1))).toBeLessThan(costs[0]);
    const values = phi.trainableVariables.flatMap((v) => Array.from(v.dataSync()));
    expect(values.every(Number.isFinite)).toBe(true);
    expect(convexityViolations(phi, c.sample(rng, 1000, DIM), c.sample(rng, 1000, DIM))).toEqual({
      jensen: 0,
      monotone: 0,
    });
    phi.dispose();
  });
});
