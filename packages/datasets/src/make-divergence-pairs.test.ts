import { describe, expect, it } from 'vitest';
import { makeDivergencePairs } from './make-divergence-pairs';

describe('makeDivergencePairs', () => {
  it('KL targets equal the Bregman divergence of φ(x) = Σ x log x, are asymmetric, and x, y lie on the simplex', () => {
    const p = makeDivergencePairs({ divergence: 'kl', count: 200, dim: 4, seed: 5 });
    let asymmetric = 0;
    for (let i = 0; i < 200; i++) {
      const x = Array.from(p.x.subarray(i * 4, i * 4 + 4));
      const y = Array.from(p.y.subarray(i * 4, i * 4 + 4));
      expect(x.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
      expect(Math.min(...x, ...y)).toBeGreaterThan(0);
      // D_φ(x, y) = φ(x) − φ(y) − ⟨∇φ(y), x − y⟩, ∇φ(y)_j = log y_j + 1.
      const phi = (v: number[]) => v.reduce((a, t) => a + t * Math.log(t), 0);
      const bregman = phi(x) - phi(y) - y.reduce((a, t, j) => a + (Math.log(t) + 1) * (x[j] - t), 0);
      expect(p.target[i]).toBeCloseTo(bregman, 5);
      const reverse = y.reduce((a, t, j) => a + t * Math.log(t / x[j]), 0);
      if (Math.abs(reverse - p.target[i]) > 1e-3) asymmetric++;
    }
    expect(asymmetric).toBeGreaterThan(150);
  });

  it('Itakura–Saito targets match a hand-computed value and the Bregman form of φ(x) = −Σ log x', () => {
    const p = makeDivergencePairs({ divergence: 'itakura-saito', count: 50, dim: 2, seed: 6 });
    for (let i = 0; i < 50; i++) {
      const x = [p.x[2 * i], p.x[2 * i + 1]];
      const y = [p.y[2 * i], p.y[2 * i + 1]];
      const phi = (v: number[]) => -Math.log(v[0]) - Math.log(v[1]);
      const bregman = phi(x) - phi(y) - ((-1 / y[0]) * (x[0] - y[0]) + (-1 / y[1]) * (x[1] - y[1]));
      expect(p.target[i]).toBeCloseTo(bregman, 5);
      expect(Math.min(...x, ...y)).toBeGreaterThanOrEqual(Math.exp(-1) * 0.999);
    }
    expect(makeDivergencePairs({ divergence: 'itakura-saito', count: 50, dim: 2, seed: 6 }).target).toEqual(p.target);
    expect(() => makeDivergencePairs({ divergence: 'kl', dim: 1 })).toThrow(/dim >= 2/);
  });
});
