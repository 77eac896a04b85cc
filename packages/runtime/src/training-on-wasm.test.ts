import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { SeededRandom } from '@empirical-bregman/common';
import { initBackend } from './init-backend';

// Training end to end on the patched wasm backend: an MLP and a small CNN, through plain ops and through tf.layers.

const rng = new SeededRandom(11);

/** Four classes of 12×12 images: a bright quadrant per class, plus noise. */
function imageBatch(n: number): { x: tf.Tensor4D; y: tf.Tensor2D; labels: number[] } {
  const pixels = new Float32Array(n * 144);
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = i % 4;
    labels.push(c);
    for (let r = 0; r < 12; r++) {
      for (let col = 0; col < 12; col++) {
        const inQuadrant = r < 6 === c < 2 && col < 6 === (c % 2 === 0);
        pixels[i * 144 + r * 12 + col] = (inQuadrant ? 1 : 0) + 0.3 * rng.normal();
      }
    }
  }
  return {
    x: tf.tensor4d(pixels, [n, 12, 12, 1]),
    y: tf.cast(tf.oneHot(tf.tensor1d(labels, 'int32'), 4), 'float32') as tf.Tensor2D,
    labels,
  };
}

beforeAll(async () => {
  const info = await initBackend({ force: 'wasm', env: {}, quiet: true });
  expect(info.patchedKernels.length).toBeGreaterThan(0);
});

describe('training on wasm with the runtime kernels', () => {
  it('trains an MLP with plain ops and leaves no tensor behind over 100 steps', () => {
    const data = imageBatch(64);
    const flat = tf.reshape(data.x, [64, 144]) as tf.Tensor2D;
    const w1 = tf.variable(tf.randomNormal([144, 32], 0, 0.1, 'float32', 1));
    const b1 = tf.variable(tf.zeros([32]));
    const w2 = tf.variable(tf.randomNormal([32, 4], 0, 0.1, 'float32', 2));
    const optimizer = tf.train.adam(0.01);
    const loss = () =>
      tf.losses.softmaxCrossEntropy(data.y, tf.matMul(tf.relu(tf.add(tf.matMul(flat, w1), b1)), w2)) as tf.Scalar;
    const first = tf.tidy(() => loss().dataSync()[0]!);
    // Adam creates its slots on the first step; count tensors after it.
    tf.dispose(optimizer.minimize(loss, true) ?? undefined);
    const before = tf.memory().numTensors;
    for (let step = 0; step < 100; step++) tf.dispose(optimizer.minimize(loss, true) ?? undefined);
    expect(tf.memory().numTensors).toBe(before);
    const last = tf.tidy(() => loss().dataSync()[0]!);
    expect(last).toBeLessThan(first * 0.2);
    tf.dispose([data.x, data.y, flat, w1, b1, w2]);
    optimizer.dispose();
  });

  it('trains a small CNN (conv-pool-conv-pool-dense) with plain ops', () => {
    const data = imageBatch(32);
    const k1 = tf.variable(tf.randomNormal([3, 3, 1, 8], 0, 0.3, 'float32', 3));
    const k2 = tf.variable(tf.randomNormal([3, 3, 8, 8], 0, 0.2, 'float32', 4));
    const w = tf.variable(tf.randomNormal([3 * 3 * 8, 4], 0, 0.1, 'float32', 5));
    const optimizer = tf.train.adam(0.01);
    const loss = () =>
      tf.tidy(() => {
        let h = tf.maxPool(tf.relu(tf.conv2d(data.x, k1 as tf.Tensor4D, 1, 'same')), 2, 2, 'valid');
        h = tf.maxPool(tf.relu(tf.conv2d(h, k2 as tf.Tensor4D, 1, 'same')), 2, 2, 'valid');
        return tf.losses.softmaxCrossEntropy(data.y, tf.matMul(tf.reshape(h, [32, 72]), w)) as tf.Scalar;
      });
    const first = tf.tidy(() => loss().dataSync()[0]!);
    for (let step = 0; step < 40; step++) tf.dispose(optimizer.minimize(loss, true) ?? undefined);
    const last = tf.tidy(() => loss().dataSync()[0]!);
    expect(last).toBeLessThan(first * 0.5);
    tf.dispose([data.x, data.y, k1, k2, w]);
    optimizer.dispose();
  });

  it('trains an MLP and a CNN through tf.layers (trainOnBatch)', async () => {
    const data = imageBatch(32);
    const cnn = tfl.sequential({
      layers: [
        tfl.layers.conv2d({ inputShape: [12, 12, 1], filters: 8, kernelSize: 3, padding: 'same', activation: 'relu' }),
        tfl.layers.maxPooling2d({ poolSize: 2 }),
        tfl.layers.conv2d({ filters: 8, kernelSize: 3, padding: 'same', activation: 'relu' }),
        tfl.layers.maxPooling2d({ poolSize: 2 }),
        tfl.layers.flatten(),
        tfl.layers.dense({ units: 4, activation: 'softmax' }),
      ],
    });
    const mlp = tfl.sequential({
      layers: [
        tfl.layers.flatten({ inputShape: [12, 12, 1] }),
        tfl.layers.dense({ units: 32, activation: 'relu' }),
        tfl.layers.dense({ units: 4, activation: 'softmax' }),
      ],
    });
    for (const model of [cnn, mlp]) {
      model.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy' });
      const first = (await model.trainOnBatch(data.x, data.y)) as number;
      let last = first;
      for (let step = 0; step < 40; step++) last = (await model.trainOnBatch(data.x, data.y)) as number;
      expect(last).toBeLessThan(first * 0.5);
      model.dispose();
    }
    tf.dispose([data.x, data.y]);
  });
});
