import { describe, expect, it } from 'vitest';
import { pca2d } from './pca-2d';

describe('pca2d', () => {
  it('recovers the two spread directions of points on a tilted, stretched ellipse in 3-D', () => {
    // Points u·(3·e₁) + w·(1·e₂) with e₁ = (1, 1, 0)/√2, e₂ = (0, 0, 1), plus a constant offset: the projection
    // must give back (3u, w) up to the sign of each axis.
    const uw = [
      [1, 0],
      [-1, 0],
      [0, 1],
      [0, -1],
      [0.5, 0],
      [-0.5, 0],
    ];
    const s = Math.SQRT1_2;
    const rows = Float32Array.from(uw.flatMap(([u, w]) => [3 * u! * s + 5, 3 * u! * s - 2, w! + 1]));
    const p = pca2d(rows, uw.length, 3);
    const sign0 = Math.sign(p[0]!);
    const sign1 = Math.sign(p[5]!); // point 2 is (0, 1)
    uw.forEach(([u, w], i) => {
      expect(p[2 * i]! * sign0).toBeCloseTo(3 * u!, 4);
      expect(p[2 * i + 1]! * sign1).toBeCloseTo(w!, 4);
    });
  });
});
