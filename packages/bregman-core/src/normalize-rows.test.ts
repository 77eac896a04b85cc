import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { BregmanCoreError } from './bregman-core-error';
import { normalizeRows } from './normalize-rows';

describe('normalizeRows', () => {
  it('x/‖x‖ per row (3-4-5 by hand), 0 for a zero row', () => {
    const y = tf.tidy(() =>
      normalizeRows(
        tf.tensor2d([
          [3, 4],
          [0, 0],
          [0, -2],
        ]),
      ).arraySync(),
    );
    expect(y[0]![0]).toBeCloseTo(0.6, 6);
    expect(y[0]![1]).toBeCloseTo(0.8, 6);
    expect(y[1]).toEqual([0, 0]);
    expect(y[2]).toEqual([0, -1]);
  });

  it('gradient: (I − x̂x̂ᵀ)c/‖x‖ for a non-zero row (closed form), exactly 0 (not NaN) for a zero row', () => {
    const c = [0.5, -2];
    const g = tf.tidy(() => {
      const cT = tf.tensor2d([c, c]);
      return tf
        .grad((x: tf.Tensor) => tf.sum(tf.mul(normalizeRows(x as tf.Tensor2D), cT)))(
          tf.tensor2d([
            [3, 4],
            [0, 0],
          ]),
        )
        .arraySync() as number[][];
    });
    const xh = [0.6, 0.8];
    const dot = xh[0]! * c[0]! + xh[1]! * c[1]!;
    expect(g[0]![0]).toBeCloseTo((c[0]! - xh[0]! * dot) / 5, 6);
    expect(g[0]![1]).toBeCloseTo((c[1]! - xh[1]! * dot) / 5, 6);
    expect(g[1]).toEqual([0, 0]);
  });

  it('refuses a non-matrix in one line; leaves no tensor behind', () => {
    const v = tf.tensor1d([1]);
    expect(() => normalizeRows(v as unknown as tf.Tensor2D)).toThrow(BregmanCoreError);
    v.dispose();
    const before = tf.memory().numTensors;
    const x = tf.ones([2, 3]) as tf.Tensor2D;
    normalizeRows(x).dispose();
    x.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
