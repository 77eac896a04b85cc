import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Quadratic } from './quadratic';

describe('Quadratic', () => {
  // A = [[2, 1], [1, 2]]: eigenvalues 1 and 3, A⁻¹ = [[2, −1], [−1, 2]] / 3.
  const matrix = [
    [2, 1],
    [1, 2],
  ];

  it('φ(x) = ½xᵀAx, ∇φ = Ax, φ*(y) = ½yᵀA⁻¹y, ∇φ* = A⁻¹y (hand-computed)', () => {
    const phi = new Quadratic({ matrix });
    expect(phi.eigenvalueRange[0]).toBeCloseTo(1, 12);
    expect(phi.eigenvalueRange[1]).toBeCloseTo(3, 12);
    const x = tf.tensor2d([
      [1, 1],
      [1, -2],
    ]);
    const r = phi.valueAndGrad(x);
    // x = (1, 1): Ax = (3, 3), ½xᵀAx = 3. x = (1, −2): Ax = (0, −3), ½xᵀAx = 3.
    expect(Array.from(r.value.dataSync())).toEqual([3, 3]);
    expect(r.grad.arraySync()).toEqual([
      [3, 3],
      [0, -3],
    ]);
    const y = tf.tensor2d([[3, 0]]);
    const c = phi.conjugate!.valueAndGrad(y);
    // A⁻¹(3, 0) = (2, −1); ½ yᵀA⁻¹y = ½·3·2 = 3.
    expect(c.value.dataSync()[0]).toBeCloseTo(3, 5);
    const g = c.grad.arraySync()[0];
    expect(g[0]).toBeCloseTo(2, 5);
    expect(g[1]).toBeCloseTo(-1, 5);
    tf.dispose([x, y, r.value, r.grad, c.value, c.grad]);
  });

  it('accepts a singular PSD matrix (no conjugate) and rejects indefinite or asymmetric ones', () => {
    const singular = new Quadratic({
      matrix: [
        [1, 1],
        [1, 1],
      ],
    });
    expect(singular.conjugate).toBeUndefined();
    expect(
      () =>
        new Quadratic({
          matrix: [
            [1, 2],
            [2, 1],
          ],
        }),
    ).toThrow(/^Quadratic: expected a positive semi-definite matrix, got smallest eigenvalue -1/);
    expect(
      () =>
        new Quadratic({
          matrix: [
            [1, 0.5],
            [0, 1],
          ],
        }),
    ).toThrow('Quadratic: expected a symmetric matrix, got A[0][1] = 0.5 but A[1][0] = 0');
    expect(() => new Quadratic({ matrix: [[1, 0]] })).toThrow(/expected matrix to be a square d×d array/);
  });
});
