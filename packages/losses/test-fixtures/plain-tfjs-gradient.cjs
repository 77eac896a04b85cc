// plain-tfjs-gradient.mjs through `require`: the same plain tfjs program on the packages' `dist/index.cjs`.
const tf = require('@tensorflow/tfjs-core');
require('@tensorflow/tfjs-backend-cpu');
const { BregmanDivergence } = require('@empirical-bregman/bregman-core');
const { IcnnConvexFunction } = require('@empirical-bregman/convex-net');
const { TripletMarginLoss } = require('@empirical-bregman/losses');

tf.setBackend('cpu').then(() => {
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
});
