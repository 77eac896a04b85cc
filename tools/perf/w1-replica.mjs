// The W1 training step as a data-parallel replica (runtime's DataParallelTrainer loads this module in each worker):
// MLP 784→512→128 (ReLU) + the W1 ICNN divergence, contrastive loss over all pairs of the worker's own batch of 256,
// Adam 1e-3. Each worker draws its own fixed batch from (seed, workerIndex), like W1's single fixed batch.
import { BregmanDivergence } from '@empirical-bregman/bregman-core';
import { SeededRandom } from '@empirical-bregman/common';
import { IcnnConvexFunction } from '@empirical-bregman/convex-net';
import * as tf from '@tensorflow/tfjs-core';

const BATCH = 256;

function normalTensor(rng, shape, std) {
  const n = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(rng.normalArray(n, 0, std), shape);
}

function variableOf(tensor) {
  const v = tf.variable(tensor);
  tensor.dispose();
  return v;
}

export function createReplica(init, context) {
  const seed = init?.seed ?? 1;
  // Same weights on every replica (seed), a different batch per worker (seed, workerIndex).
  const weights = new SeededRandom(seed);
  const data = new SeededRandom(seed * 1000 + context.workerIndex + 1);
  const divergence = new BregmanDivergence(
    new IcnnConvexFunction({ dim: 128, hiddenSizes: [256, 256], activation: 'softplus', mu: 0.1, seed }),
  );
  const w1 = variableOf(normalTensor(weights, [784, 512], 0.05));
  const b1 = variableOf(tf.zeros([512]));
  const w2 = variableOf(normalTensor(weights, [512, 128], 0.05));
  const x = normalTensor(data, [BATCH, 784], 1);
  const same = tf.tidy(() => {
    const l = tf.tensor1d(
      Int32Array.from({ length: BATCH }, (_, i) => i % 16),
      'int32',
    );
    return tf.cast(tf.equal(tf.reshape(l, [BATCH, 1]), tf.reshape(l, [1, BATCH])), 'float32');
  });
  return {
    variables: [w1, b1, w2, ...divergence.trainableVariables],
    optimizer: tf.train.adam(1e-3),
    loss() {
      return tf.tidy(() => {
        const e = tf.matMul(tf.relu(tf.add(tf.matMul(x, w1), b1)), w2);
        const d = divergence.pairwise(e, e);
        return tf.mean(tf.add(tf.mul(same, d), tf.mul(tf.sub(1, same), tf.relu(tf.sub(1, d)))));
      });
    },
    dispose() {
      tf.dispose([x, same]);
      // The divergence's variables are among `variables` (disposed by the trainer); nothing else to free.
    },
  };
}
