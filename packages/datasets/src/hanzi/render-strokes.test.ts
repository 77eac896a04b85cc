import { describe, expect, it } from 'vitest';
import { expectDatasetError } from '../testing/expect-dataset-error';
import { renderStrokes } from './render-strokes';

const at = (image: Float32Array, size: number, row: number, column: number) => image[row * size + column]!;
const sum = (image: Float32Array) => image.reduce((a, b) => a + b, 0);

describe('renderStrokes', () => {
  it('lights the rows of a horizontal bar as the distance to its centre-line says', () => {
    // Bar from (2, 4.5) to (8, 4.5), pen radius 1; coverage = clamp(1.5 − d, 0, 1) for a pixel centre at distance d.
    const image = renderStrokes([Float32Array.of(2, 4.5, 8, 4.5)], 1, 10);
    for (let c = 2; c <= 7; c++) {
      expect(at(image, 10, 4, c)).toBe(1); // d = 0
      expect(at(image, 10, 3, c)).toBe(0.5); // d = 1
      expect(at(image, 10, 5, c)).toBe(0.5);
      expect(at(image, 10, 2, c)).toBe(0); // d = 2
      expect(at(image, 10, 6, c)).toBe(0);
    }
    // Round caps: centres (1.5, 4.5) and (8.5, 4.5) are ½ beyond the ends; (0.5, 4.5) is 1½ away.
    expect(at(image, 10, 4, 1)).toBe(1);
    expect(at(image, 10, 4, 8)).toBe(1);
    expect(at(image, 10, 4, 0)).toBe(0);
    expect(at(image, 10, 4, 9)).toBe(0);
    // A cap's corner: d = √(½² + 1²) from the end point.
    expect(at(image, 10, 3, 1)).toBeCloseTo(1.5 - Math.sqrt(1.25), 6);
    // Nothing else is lit: 6 + 2 full pixels on row 4, 6 halves on rows 3 and 5, four corners.
    expect(sum(image)).toBeCloseTo(8 + 6 + 4 * (1.5 - Math.sqrt(1.25)), 5);
  });

  it('draws a one-point stroke as a dot of the pen radius', () => {
    const image = renderStrokes([Float32Array.of(5, 5)], 1, 10);
    // The four pixels around (5, 5) have centres at distance √½.
    for (const [r, c] of [
      [4, 4],
      [4, 5],
      [5, 4],
      [5, 5],
    ] as const) {
      expect(at(image, 10, r, c)).toBeCloseTo(1.5 - Math.SQRT1_2, 6);
    }
    // Next ring: distance √(½² + 1½²) ≈ 1.58 > 1.5.
    expect(at(image, 10, 3, 4)).toBe(0);
    expect(sum(image)).toBeCloseTo(4 * (1.5 - Math.SQRT1_2), 5);
  });

  it('covers the area of the pen swept along a slanted segment, 2rL + πr²', () => {
    // L = 25 (a 3-4-5 direction), r = 2: area 100 + 4π. The ramp integrates straight edges exactly; the rest is
    // sampling at pixel centres.
    const image = renderStrokes([Float32Array.of(5.2, 5.1, 25.2, 20.1)], 2, 32);
    expect(sum(image)).toBeGreaterThan((100 + 4 * Math.PI) * 0.98);
    expect(sum(image)).toBeLessThan((100 + 4 * Math.PI) * 1.02);
  });

  it('is mirror-symmetric for a mirror-symmetric stroke', () => {
    // A V about the vertical line x = 16 of a 32-wide image, with a join at the bottom (coordinates exact in float32).
    const image = renderStrokes([Float32Array.of(6.25, 4.25, 16, 27.75, 25.75, 4.25)], 1.7, 32);
    for (let r = 0; r < 32; r++)
      for (let c = 0; c < 16; c++) expect(at(image, 32, r, c)).toBeCloseTo(at(image, 32, r, 31 - c), 6);
    expect(sum(image)).toBeGreaterThan(0);
  });

  it('combines strokes by maximum: a stroke drawn twice is the stroke once, crossings stay ≤ 1', () => {
    const bar = Float32Array.of(3, 10.5, 18, 10.5);
    const once = renderStrokes([bar], 1.5, 21);
    expect(renderStrokes([bar, bar], 1.5, 21)).toEqual(once);
    const cross = renderStrokes([bar, Float32Array.of(10.5, 3, 10.5, 18)], 1.5, 21);
    expect(Math.max(...cross)).toBe(1);
    expect(at(cross, 21, 10, 10)).toBe(1);
    // Drawing into a target keeps what is there.
    const target = renderStrokes([bar], 1.5, 21);
    renderStrokes([Float32Array.of(10.5, 3, 10.5, 18)], 1.5, 21, target);
    expect(target).toEqual(cross);
  });

  it('clips strokes that leave the image', () => {
    const image = renderStrokes([Float32Array.of(-20, 2.5, 40, 2.5)], 0.5, 8);
    for (let c = 0; c < 8; c++) expect(at(image, 8, 2, c)).toBe(1);
    expect(sum(image)).toBe(8);
  });

  it('refuses a bad size, pen radius, stroke or target with one line', async () => {
    await expectDatasetError(
      () => renderStrokes([], 1, 0),
      'INVALID_ARGUMENT',
      /^renderStrokes: expected an image size/,
    );
    await expectDatasetError(() => renderStrokes([], 0, 8), 'INVALID_ARGUMENT', /pen radius > 0, got 0$/);
    await expectDatasetError(
      () => renderStrokes([Float32Array.of(1, 2, 3)], 1, 8),
      'INVALID_SHAPE',
      /expected stroke 0 as \[x0, y0, x1, y1, …\] with at least one point, got 3 numbers$/,
    );
    await expectDatasetError(
      () => renderStrokes([], 1, 8, new Float32Array(10)),
      'INVALID_SHAPE',
      /expected a target of 64 pixels, got 10$/,
    );
  });
});
