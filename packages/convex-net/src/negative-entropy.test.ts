import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { NegativeEntropy } from './negative-entropy';

describe('NegativeEntropy', () => {
  it('φ(x) = Σ x log x − x, ∇φ = log x, φ*(y) = Σ eʸ, ∇φ* = eʸ (float64 reference)', () => {
    const rows = [
      [0.5, 1, Math.E],
      [2, 0.1, 3],
    ];
    const phi = new NegativeEntropy({ dim: 3 });
    const x = tf.tensor2d(rows);
    const r = phi.valueAndGrad(x);
    const value = r.value.dataSync();
    const grad = r.grad.arraySync();
    rows.forEach((row, i) => {
      expect(value[i]).toBeCloseTo(
        row.reduce((s, v) => s + v * Math.log(v) - v, 0),
        5,
      );
      row.forEach((v, j) => {
        expect(grad[i][j]).toBeCloseTo(Math.log(v), 5);
      });
    });
    const y = tf.tensor2d([[0, 1, -2]]);
    const c = phi.conjugate.valueAndGrad(y);
    expect(c.value.dataSync()[0]).toBeCloseTo(1 + Math.E + Math.exp(-2), 5);
    c.grad.arraySync()[0].forEach((g, j) => {
      expect(g).toBeCloseTo(Math.exp([0, 1, -2][j]), 5);
    });
    tf.dispose([x, y, r.value, r.grad, c.value, c.grad]);
  });

  it('induces the generalised KL divergence Σ x log(x/y) − x + y', () => {
    const phi = new NegativeEntropy({ dim: 2 });
    const [xs, ys] = [
      [0.2, 0.8],
      [0.5, 0.5],
    ];
    const t = tf.tensor2d([xs, ys]);
    const r = phi.valueAndGrad(t);
    const v = r.value.dataSync();
    const g = r.grad.arraySync();
    const d = v[0] - v[1] - g[1].reduce((s, gj, j) => s + gj * (xs[j] - ys[j]), 0);
    expect(d).toBeCloseTo(
      xs.reduce((s, xj, j) => s + xj * Math.log(xj / ys[j]) - xj + ys[j], 0),
      5,
    );
    tf.dispose([t, r.value, r.grad]);
  });

  it('rejects non-positive input without a floor and clamps to the floor with one', () => {
    const x = tf.tensor2d([[0.5, 0]]);
    expect(() => new NegativeEntropy({ dim: 2 }).valueAndGrad(x)).toThrow(
      'NegativeEntropy.valueAndGrad: expected x with entries x > 0, got 0 at [0, 1]',
    );
    expect(new NegativeEntropy({ dim: 2 }).domain).toBe('positive');
    const phi = new NegativeEntropy({ dim: 2, floor: 1e-6 });
    expect(phi.domain).toBe('nonnegative');
    const r = phi.valueAndGrad(x);
    expect(r.grad.dataSync()[1]).toBeCloseTo(Math.log(1e-6), 3);
    expect(Number.isFinite(r.value.dataSync()[0])).toBe(true);
    const negative = tf.tensor2d([[0.5, -0.1]]);
    expect(() => phi.valueAndGrad(negative)).toThrow(
      'NegativeEntropy.valueAndGrad: expected x with entries x ≥ 0, got -0.1 at [0, 1]',
    );
    expect(() => new NegativeEntropy({ dim: 2, floor: -1 })).toThrow('NegativeEntropy: expected floor ≥ 0, got -1');
    tf.dispose([x, negative, r.value, r.grad]);
  });
});
