import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { loadOptimizerState, readOptimizerState } from './optimizer-state';

const lossOf = (w: tf.Variable) => () => tf.sum(tf.square(tf.sub(w, tf.tensor1d([0.3, 0.7])))) as tf.Scalar;

describe('readOptimizerState / loadOptimizerState', () => {
  it("reads Adam's weights and its running products β₁ᵗ, β₂ᵗ (which getWeights leaves out), and nothing more for SGD", async () => {
    const w = tf.variable(tf.tensor1d([1, -2]));
    const adam = tf.train.adam(0.1, 0.8, 0.5);
    const sgd = tf.train.sgd(0.1);
    for (let step = 0; step < 3; step++) for (const optimizer of [adam, sgd]) optimizer.minimize(lossOf(w));
    const before = tf.memory().numTensors;
    const state = await readOptimizerState(adam);
    expect(tf.memory().numTensors).toBe(before);
    expect(state.weights.map((x) => [x.name.replace(/^.*\//, ''), x.dtype])).toEqual([
      ['iter', 'int32'],
      ['m', 'float32'],
      ['v', 'float32'],
    ]);
    expect(Array.from(state.weights[0]!.values)).toEqual([3]);
    expect(state.scalars.map((s) => s.name)).toEqual(['accBeta1', 'accBeta2']);
    // After t steps tfjs holds β^(t+1) (the product for the next step).
    expect(state.scalars[0]!.value).toBeCloseTo(0.8 ** 4, 6);
    expect(state.scalars[1]!.value).toBeCloseTo(0.5 ** 4, 6);
    const weights = await adam.getWeights();
    expect(weights.some((x) => /accBeta/.test(x.name))).toBe(false);
    tf.dispose(weights.filter((x) => !(x.tensor instanceof tf.Variable)).map((x) => x.tensor));
    expect((await readOptimizerState(sgd)).scalars).toEqual([]);
    w.dispose();
    adam.dispose();
    sgd.dispose();
  });

  it('loads a state so that the following steps are bit-identical to the original optimizer’s, without leaking', async () => {
    const original = tf.variable(tf.tensor1d([1, -2]));
    const copy = tf.variable(tf.tensor1d([0, 0]));
    const adam = tf.train.adam(0.05);
    for (let step = 0; step < 40; step++) adam.minimize(lossOf(original));
    const saved = await readOptimizerState(adam);
    copy.assign(original);
    const resumed = tf.train.adam(0.05);
    resumed.minimize(lossOf(copy)); // its own state, replaced by the load
    copy.assign(original);
    const before = tf.memory().numTensors;
    await loadOptimizerState(resumed, saved);
    // The replaced moments are freed: the same number of tensors as before the load.
    expect(tf.memory().numTensors).toBe(before);
    for (let step = 0; step < 5; step++) {
      adam.minimize(lossOf(original));
      resumed.minimize(lossOf(copy));
    }
    expect(Array.from(copy.dataSync())).toEqual(Array.from(original.dataSync()));
    // An empty state (never stepped) leaves the optimizer as it is.
    await loadOptimizerState(resumed, { weights: [], scalars: [] });
    expect((await readOptimizerState(resumed)).weights[0]!.values[0]).toBe(45);
    adam.dispose();
    resumed.dispose();
    tf.dispose([original, copy]);
  });
});
