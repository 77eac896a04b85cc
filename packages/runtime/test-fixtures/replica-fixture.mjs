// A small data-parallel replica for the DataParallelTrainer tests: MLP 8→16→4 with a contrastive loss over the
// squared distances of all pairs of its batch; Adam. Batches are plain arrays made by `makeBatch`.
import * as tf from '@tensorflow/tfjs-core';

const N = 12;
const D = 8;

/** Deterministic pseudo-random values in [−1, 1) from an integer seed (a 32-bit LCG; enough for fixtures). */
function values(seed, count) {
  let s = seed >>> 0;
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

export function makeBatch(seed, step, worker) {
  return {
    x: Array.from(values(1000 * seed + 10 * step + worker + 1, N * D)),
    labels: Array.from({ length: N }, (_, i) => (i + step + worker) % 3),
  };
}

/** A variable holding `init()`, without leaving the initial tensor behind. */
function variableOf(init) {
  const t = tf.tidy(init);
  const v = tf.variable(t);
  t.dispose();
  return v;
}

export function createReplica(init, context) {
  const seed = init?.seed ?? 1;
  const variables = [
    variableOf(() => tf.mul(tf.tensor2d(values(seed, D * 16), [D, 16]), 0.5)),
    variableOf(() => tf.zeros([16])),
    variableOf(() => tf.mul(tf.tensor2d(values(seed + 1, 16 * 4), [16, 4]), 0.5)),
  ];
  if (init?.mismatch && context.workerIndex === 1) variables.push(variableOf(() => tf.zeros([3])));
  if (init?.failOnWorker === context.workerIndex) {
    tf.dispose(variables);
    throw new Error(`replica ${context.workerIndex} could not start`);
  }
  // `groups`: the last variable gets its own optimizer with a smaller learning rate (as a learned head would);
  // `badGroups`: it gets none (an error).
  const optimizers = init?.groups
    ? {
        optimizerGroups: [
          { optimizer: tf.train.adam(0.05), variables: variables.slice(0, 2) },
          { optimizer: tf.train.adam(0.01), variables: variables.slice(2) },
        ],
      }
    : init?.badGroups
      ? { optimizerGroups: [{ optimizer: tf.train.adam(0.05), variables: variables.slice(0, 2) }] }
      : { optimizer: tf.train.adam(init?.learningRate ?? 0.05) };
  let losses = 0;
  return {
    variables,
    ...optimizers,
    report: () => ({ workerIndex: context.workerIndex, losses }),
    loss(batch) {
      if (batch.fail) throw new Error(`replica ${context.workerIndex} was told to fail`);
      losses++;
      return tf.tidy(() => {
        const x = tf.tensor2d(batch.x, [N, D]);
        const labels = tf.tensor1d(batch.labels, 'int32');
        const e = tf.matMul(tf.relu(tf.add(tf.matMul(x, variables[0]), variables[1])), variables[2]);
        const sq = tf.sum(tf.square(e), 1);
        const d = tf.relu(
          tf.sub(tf.add(tf.reshape(sq, [N, 1]), tf.reshape(sq, [1, N])), tf.mul(2, tf.matMul(e, e, false, true))),
        );
        const same = tf.cast(tf.equal(tf.reshape(labels, [N, 1]), tf.reshape(labels, [1, N])), 'float32');
        return tf.mean(tf.add(tf.mul(same, d), tf.mul(tf.sub(1, same), tf.relu(tf.sub(1, d)))));
      });
    },
  };
}
