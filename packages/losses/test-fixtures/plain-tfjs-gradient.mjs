// A plain tfjs program: tfjs-core, the cpu backend and the BUILT packages, nothing from `runtime` (so nothing else
// registers gradients). `node plain-tfjs-gradient.mjs learned|fixed` takes the gradient of a TripletMarginLoss over a
// learned Bregman divergence (ICNN φ) or over the default squared Euclidean one, and prints one JSON line for
// plain-tfjs-gradient.test.ts. plain-tfjs-gradient.cjs is the same program through `require`.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { BregmanDivergence } from '@empirical-bregman/bregman-core';
import { IcnnConvexFunction } from '@empirical-bregman/convex-net';
import { TripletMarginLoss } from '@empirical-bregman/losses';

await tf.setBackend('cpu');
const registeredBefore = tf.getGradient('Add') !== undefined;
const divergence =
  process.argv[2] === 'fixed'
    ? undefined
    : new BregmanDivergence(new IcnnConvexFunction({ dim: 3, hiddenSizes: [8], seed: 1 }));
const loss = new TripletMarginLoss({ divergence });
const embeddings = tf.variable(tf.randomNormal([12, 3], 0, 1, 'float32', 3));
const labels = Array.from({ length: 12 }, (_, i) => i % 3);
const variables = [embeddings, ...(divergence?.trainableVariables ?? [])];
const { value, grads } = tf.variableGrads(() => loss.compute(embeddings, labels), variables);
const gradients = Object.values(grads).flatMap((g) => Array.from(g.dataSync()));
console.log(
  JSON.stringify({
    registeredBefore,
    loss: value.dataSync()[0],
    gradients: gradients.length,
    gradientAbsSum: gradients.reduce((a, v) => a + Math.abs(v), 0),
    allFinite: gradients.every(Number.isFinite),
  }),
);
