import { describe, expect, it } from 'vitest';
import { levelSetBoundary, quantile } from './level-set-boundary';

describe('levelSetBoundary', () => {
  it('of a disc on a 7×7 grid is its rim: the inside cells with an outside neighbour', () => {
    // v = squared distance to the centre cell (3, 3); r = 4 takes the cells within distance 2.
    const size = 7;
    const values = Float32Array.from({ length: size * size }, (_, k) => {
      const i = Math.floor(k / size);
      const j = k % size;
      return (i - 3) ** 2 + (j - 3) ** 2;
    });
    const rim = levelSetBoundary(values, size, 4).map((k) => [Math.floor(k / size), k % size]);
    // Inside: 13 cells (|i−3|² + |j−3|² ≤ 4). Their interior: the 5 cells of the plus around the centre.
    expect(rim).toHaveLength(13 - 5);
    expect(rim).toContainEqual([1, 3]);
    expect(rim).toContainEqual([2, 2]);
    expect(rim).not.toContainEqual([3, 3]);
    expect(rim).not.toContainEqual([2, 3]);
  });

  it('counts the grid edge as outside, and is empty for an empty set', () => {
    expect(levelSetBoundary(new Float32Array(9), 3, 0)).toEqual([0, 1, 2, 3, 5, 6, 7, 8]);
    expect(levelSetBoundary(new Float32Array(9).fill(1), 3, 0.5)).toEqual([]);
  });
});

describe('quantile', () => {
  it('takes the element at ⌊q(n − 1)⌋ of the sorted values', () => {
    expect(quantile([5, 1, 4, 2, 3], 0)).toBe(1);
    expect(quantile([5, 1, 4, 2, 3], 0.5)).toBe(3);
    expect(quantile([5, 1, 4, 2, 3], 0.74)).toBe(3); // ⌊0.74 · 4⌋ = 2
    expect(quantile([5, 1, 4, 2, 3], 1)).toBe(5);
    expect(() => quantile([], 0.5)).toThrow('quantile: expected at least one value, got none');
  });
});
