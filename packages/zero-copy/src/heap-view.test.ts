import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@empirical-bregman/runtime';
import { afterAll, describe, expect, it } from 'vitest';
import { heapView } from './heap-view';

// Both backends regardless of the one the test setup chose (`env: {}`: BREGMAN_BACKEND does not override here).
const chosen = tf.getBackend();
afterAll(async () => {
  if (chosen) await tf.setBackend(chosen);
});

describe('heapView', () => {
  it('on wasm: the float32 values in place, the same memory the tensor reads', async () => {
    await initBackend({ force: 'wasm', quiet: true, env: {} });
    const t = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]);
    const view = heapView(t);
    expect(view).toBeInstanceOf(Float32Array);
    expect(Array.from(view!)).toEqual([1, 2, 3, 4, 5, 6]);
    // In place, not a copy: writing through the view changes the tensor (which is why callers only read it).
    view![0] = 7;
    expect((await t.data())[0]).toBe(7);
    expect(heapView(tf.tensor1d([1, 2], 'int32'))).toBeNull();
    tf.dispose(t);
  });

  it('on cpu (no heap view): null, so the caller copies', async () => {
    await initBackend({ force: 'cpu', quiet: true, env: {} });
    const t = tf.tensor1d([1, 2, 3]);
    expect(heapView(t)).toBeNull();
    t.dispose();
  });
});
