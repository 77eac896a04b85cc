// Task functions for the WorkerPool tests: each runs inside a pool worker on that worker's own tfjs backend.
import * as tf from '@tensorflow/tfjs-core';

export function matMulSum(payload, context) {
  const sum = tf.tidy(
    () => tf.sum(tf.matMul(tf.tensor2d(payload.a, [2, 2]), tf.tensor2d(payload.b, [2, 2]))).dataSync()[0],
  );
  return {
    sum,
    backend: tf.getBackend(),
    reported: context.backend,
    workerIndex: context.workerIndex,
    numTensors: tf.memory().numTensors,
  };
}

export async function slowSquare(payload) {
  const end = Date.now() + payload.ms;
  while (Date.now() < end) {
    // Busy on purpose: a synchronous training step or block blocks its thread like this.
  }
  return { value: payload.x * payload.x, threadId: (await import('node:worker_threads')).threadId };
}

export function fails() {
  const error = new Error('blockwise kNN: expected k <= 10, got 11');
  error.code = 'INVALID_ARGUMENT';
  throw error;
}

export function crash() {
  process.exit(3);
}
