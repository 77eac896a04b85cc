import { SeededRandom } from '@empirical-bregman/common';
import { describe, expect, it } from 'vitest';
import { randomShift } from './random-shift';

/** A 5 × 5 one-channel image with a single lit pixel at (row, col). */
function dot(row: number, col: number): Float32Array {
  const img = new Float32Array(25);
  img[row * 5 + col] = 1;
  return img;
}

describe('randomShift', () => {
  it('moves a lit pixel by at most maxShift along each axis, or off the image, and keeps the source', () => {
    const rng = new SeededRandom(3);
    const shifts = new Set<string>();
    for (let t = 0; t < 200; t++) {
      const src = dot(2, 2);
      const out = randomShift(src, [5, 5, 1], rng, { maxShift: 1 });
      expect(src[12]).toBe(1);
      const lit = out.indexOf(1);
      expect(out.reduce((a, v) => a + v, 0)).toBe(1); // centre pixel never leaves a 5×5 image with |shift| ≤ 1
      const dy = Math.floor(lit / 5) - 2;
      const dx = (lit % 5) - 2;
      expect(Math.abs(dy)).toBeLessThanOrEqual(1);
      expect(Math.abs(dx)).toBeLessThanOrEqual(1);
      shifts.add(`${dy},${dx}`);
    }
    expect(shifts.size).toBe(9); // all nine shifts occur
    // A corner pixel is pushed off the image by a negative shift (zero fill), never wrapped around.
    let pushedOff = 0;
    for (let t = 0; t < 100; t++) {
      const out = randomShift(dot(0, 0), [5, 5, 1], rng, { maxShift: 1 });
      const lit = out.indexOf(1);
      if (lit < 0) pushedOff++;
      else expect([0, 1, 5, 6]).toContain(lit);
    }
    // P(dy = −1 or dx = −1) = 5/9.
    expect(pushedOff).toBeGreaterThan(35);
    expect(pushedOff).toBeLessThan(75);
  });

  it('flip mirrors columns exactly', () => {
    const seen = new Set<number>();
    const rng = new SeededRandom(8);
    for (let t = 0; t < 50; t++)
      seen.add(randomShift(dot(1, 0), [5, 5, 1], rng, { maxShift: 0, flip: true }).indexOf(1));
    expect([...seen].sort((a, b) => a - b)).toEqual([5, 9]); // (1,0) or its mirror (1,4)
  });
});
