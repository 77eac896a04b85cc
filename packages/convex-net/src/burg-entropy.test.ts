import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { BurgEntropy } from './burg-entropy';

describe('BurgEntropy', () => {
  it('φ(x) = −Σ log x, ∇φ = −1/x, φ*(y) = −d − Σ log(−y), ∇φ* = −1/y (float64 reference)', () => {
    const rows = [
      [0.5, 1, 4],
      [2, 0.1, 3],
    ];
    const phi = new BurgEntropy({ dim: 3 });
    const x = tf.tensor2d(rows);
    const r = phi.valueAndGrad(x);
    const value = r.value.dataSync();
    const grad = r.grad.arraySync();
    rows.forEach((row, i) => {
      expect(value[i]).toBeCloseTo(-row.reduce((s, v) => s + Math.log(v), 0), 5);
      row.forEach((v, j) => {
        expect(grad[i][j]).toBeCloseTo(-1 / v, 5);
      });
    });
    const ys = [-2, -1, -0.25];
    const y = tf.tensor2d([ys]);
    const c = phi.conjugate.valueAndGrad(y);
    expect(c.value.dataSync()[0]).toBeCloseTo(-3 - ys.reduce((s, v) => s + Math.log(-v), 0), 5);
    c.grad.arraySync()[0].forEach((g, j) => {
      expect(g).toBeCloseTo(-1 / ys[j], 5);
    });
    tf.dispose([x, y, r.value, r.grad, c.value, c.grad]);
  });

  it('induces the Itakura–Saito divergence Σ x/y − log(x/y) − 1', () => {
    const phi = new BurgEntropy({ dim: 2 });
    const [xs, ys] = [
      [0.2, 3],
      [0.5, 1.5],
    ];
    const t = tf.tensor2d([xs, ys]);
    const r = phi.valueAndGrad(t);
    const v = r.value.dataSync();
    const g = r.grad.arraySync();
    const d = v[0] - v[1] - g[1].reduce((s, gj, j) => s + gj * (xs[j] - ys[j]), 0);
    expect(d).toBeCloseTo(
      xs.reduce((s, xj, j) => s + xj / ys[j] - Math.log(xj / ys[j]) - 1, 0),
      5,
    );
    tf.dispose([t, r.value, r.grad]);
  });

  it('checks the domains of φ (x > 0) and φ* (y < 0)', () => {
    const phi = new BurgEntropy({ dim: 2 });
    const x = tf.tensor2d([[-1, 2]]);
    expect(() => phi.valueAndGrad(x)).toThrow(
      'BurgEntropy.valueAndGrad: expected x with entries x > 0, got -1 at [0, 0]',
    );
    const y = tf.tensor2d([[-1, 2]]);
    expect(() => phi.conjugate.valueAndGrad(y)).toThrow(
      'BurgEntropy.conjugate.valueAndGrad: expected x with entries x < 0, got 2 at [0, 1]',
    );
    tf.dispose([x, y]);
  });

  it('takes x > 0, or x ≥ 0 with a floor (evaluated at the floor)', () => {
    expect(new BurgEntropy({ dim: 2 }).domain).toBe('positive');
    const phi = new BurgEntropy({ dim: 2, floor: 1e-3 });
    expect(phi.domain).toBe('nonnegative');
    const x = tf.tensor2d([[0.5, 0]]);
    const r = phi.valueAndGrad(x);
    expect(r.grad.dataSync()[1]).toBeCloseTo(-1e3, 0);
    expect(() => new BurgEntropy({ dim: 2 }).valueAndGrad(x)).toThrow(
      'BurgEntropy.valueAndGrad: expected x with entries x > 0, got 0 at [0, 1]',
    );
    tf.dispose([x, r.value, r.grad]);
  });
});
