import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { ZERO_GRADIENT_KERNELS, missingGradients } from './gradients';

describe('gradients', () => {
  it('registers every required gradient, and zero gradients for comparisons', () => {
    expect(missingGradients()).toEqual([]);
    expect(missingGradients(ZERO_GRADIENT_KERNELS)).toEqual([]);
  });

  it('differentiates through a mask built by comparing a differentiated tensor (zero through the comparison)', () => {
    const x = tf.tensor1d([1, -2, 3, -4]);
    // f(x) = Σ where(x > 0, x², 0): df/dx = 2x where x > 0, else 0.
    const g = tf.grad((v: tf.Tensor) => tf.sum(tf.where(tf.greater(v, 0), tf.square(v), tf.zerosLike(v))))(x);
    expect(Array.from(g.dataSync())).toEqual([2, 0, 6, 0]);
    const h = tf.grad((v: tf.Tensor) =>
      tf.sum(tf.mul(tf.cast(tf.logicalAnd(tf.less(v, 2), tf.greaterEqual(v, -3)), 'float32'), v)),
    )(x);
    expect(Array.from(h.dataSync())).toEqual([1, 1, 0, 0]);
    tf.dispose([x, g, h]);
  });
});
