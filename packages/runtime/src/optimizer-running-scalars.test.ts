import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { optimizerRunningScalars } from './optimizer-running-scalars';

describe('optimizerRunningScalars', () => {
  it("finds Adam's running products β₁ᵗ, β₂ᵗ (which getWeights leaves out), and nothing for SGD", async () => {
    const w = tf.variable(tf.tensor1d([1, -2]));
    const adam = tf.train.adam(0.1, 0.8, 0.5);
    const sgd = tf.train.sgd(0.1);
    for (let step = 0; step < 3; step++)
      for (const optimizer of [adam, sgd]) optimizer.minimize(() => tf.sum(tf.square(w)) as tf.Scalar);
    const scalars = optimizerRunningScalars(adam);
    expect(Object.keys(scalars)).toEqual(['accBeta1', 'accBeta2']);
    // After t steps tfjs holds β^(t+1) (the product for the next step).
    expect(scalars.accBeta1!.dataSync()[0]).toBeCloseTo(0.8 ** 4, 6);
    expect(scalars.accBeta2!.dataSync()[0]).toBeCloseTo(0.5 ** 4, 6);
    const weights = await adam.getWeights();
    expect(weights.some((x) => /accBeta/.test(x.name))).toBe(false);
    tf.dispose(weights.filter((x) => !(x.tensor instanceof tf.Variable)).map((x) => x.tensor));
    expect(optimizerRunningScalars(sgd)).toEqual({});
    adam.dispose();
    sgd.dispose();
    w.dispose();
  });
});
