import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { ensureGradients } from './ensure-gradients';
import { IcnnConvexFunction } from './icnn-convex-function';

// Here the tensor setup (runtime) has registered every gradient already; a program without runtime is tested on the
// built packages in losses (plain-tfjs-gradient.test.ts), in a process of its own.
describe('ensureGradients', () => {
  it('leaves gradients registered by someone else as they are, however often it is called', () => {
    const before = ['Add', 'BatchMatMul', 'Softplus', 'Greater'].map((k) => tf.getGradient(k));
    expect(before[0]).toBeDefined();
    ensureGradients();
    ensureGradients();
    new IcnnConvexFunction({ dim: 2, hiddenSizes: [3] }).dispose();
    expect(['Add', 'BatchMatMul', 'Softplus', 'Greater'].map((k) => tf.getGradient(k))).toEqual(before);
  });
});
