import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { SquaredNorm } from './squared-norm';
import { WeightedSquaredNorm } from './weighted-squared-norm';

function run(f: (y: tf.Tensor2D) => { value: tf.Tensor; grad: tf.Tensor }, x: number[][]) {
  const t = tf.tensor2d(x);
  const r = f(t);
  const out = { value: Array.from(r.value.dataSync()), grad: r.grad.arraySync() as number[][] };
  tf.dispose([t, r.value, r.grad]);
  return out;
}

describe('SquaredNorm', () => {
  it('φ(x) = ½‖x‖², ∇φ(x) = x, φ* = φ (hand-computed)', () => {
    const phi = new SquaredNorm({ dim: 3 });
    const r = run(
      (x) => phi.valueAndGrad(x),
      [
        [1, 2, 2],
        [0, -3, 4],
      ],
    );
    expect(r.value).toEqual([4.5, 12.5]);
    expect(r.grad).toEqual([
      [1, 2, 2],
      [0, -3, 4],
    ]);
    const c = run((y) => phi.conjugate.valueAndGrad(y), [[3, 0, -4]]);
    expect(c.value).toEqual([12.5]);
    expect(c.grad).toEqual([[3, 0, -4]]);
  });

  it('rejects a non-integer dim', () => {
    expect(() => new SquaredNorm({ dim: 2.5 })).toThrow('SquaredNorm: expected dim to be a positive integer, got 2.5');
  });
});

describe('WeightedSquaredNorm', () => {
  it('φ(x) = ½Σwᵢxᵢ², ∇φ = w⊙x, φ*(y) = ½Σyᵢ²/wᵢ, ∇φ* = y/w (hand-computed)', () => {
    const phi = new WeightedSquaredNorm({ weights: [2, 0.5] });
    const r = run((x) => phi.valueAndGrad(x), [[3, -2]]);
    expect(r.value[0]).toBeCloseTo(0.5 * (2 * 9 + 0.5 * 4), 5);
    expect(r.grad).toEqual([[6, -1]]);
    const c = run((y) => phi.conjugate.valueAndGrad(y), [[6, -1]]);
    expect(c.value[0]).toBeCloseTo(0.5 * (36 / 2 + 1 / 0.5), 5);
    expect(c.grad).toEqual([[3, -2]]);
  });

  it('rejects non-positive weights', () => {
    expect(() => new WeightedSquaredNorm({ weights: [1, 0] })).toThrow(
      'WeightedSquaredNorm: expected weights to be a non-empty array of finite numbers > 0, got [1,0]',
    );
  });
});
