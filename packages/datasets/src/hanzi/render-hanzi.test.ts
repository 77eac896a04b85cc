import { SeededRandom } from '@empirical-bregman/common';
import { describe, expect, it } from 'vitest';
import { expectDatasetError } from '../testing/expect-dataset-error';
import type { HanziCharacter } from './parse-hanzi-character';
import { DEFAULT_HANZI_VARIATION, type HanziVariation, NO_HANZI_VARIATION, renderHanzi } from './render-hanzi';

const glyph = (...medians: number[][]): HanziCharacter => ({
  character: '?',
  medians: medians.map((m) => Float32Array.from(m)),
});
// Font units, y up, top at 900: y = 388 is the middle of the em box (v = (900 − 388) / 1024 = ½).
const middleBar = glyph([0, 388, 1024, 388]);
const at = (image: Float32Array, row: number, column: number, size = 28) => image[row * size + column]!;
const rowSums = (image: Float32Array, size = 28) =>
  Array.from({ length: size }, (_, r) => image.subarray(r * size, (r + 1) * size).reduce((a, b) => a + b, 0));
const only = (overrides: Partial<HanziVariation>): HanziVariation => ({ ...NO_HANZI_VARIATION, ...overrides });

describe('renderHanzi', () => {
  it('maps the em box onto the image with y flipped (no variation: pen 0.075, box at 0.875 of the side)', () => {
    // Pen radius 0.075 · 28 / 2 = 1.05, so coverage = clamp(1.55 − d, 0, 1).
    const image = renderHanzi(middleBar, { size: 28, rng: new SeededRandom(1), variation: NO_HANZI_VARIATION });
    // v = ½ → pixel y = 14: rows 13 and 14 at d = ½, rows 12 and 15 at d = 1½, nothing further.
    expect(at(image, 13, 14)).toBe(1);
    expect(at(image, 14, 14)).toBe(1);
    expect(at(image, 12, 14)).toBeCloseTo(0.05, 6);
    expect(at(image, 15, 14)).toBeCloseTo(0.05, 6);
    expect(rowSums(image).filter((s, r) => (r < 12 || r > 15) && s > 0)).toEqual([]);
    // u ∈ [0, 1] → x ∈ [14 − 12.25, 14 + 12.25] = [1.75, 26.25]: column 0's centre is 1.25 left of the cap's centre.
    expect(at(image, 13, 0)).toBeCloseTo(1.55 - Math.hypot(1.25, 0.5), 6);

    // y = 772 is near the top (v = 0.125 → pixel y = 14 + 24.5 · (0.125 − ½) = 4.8125).
    const top = renderHanzi(glyph([0, 772, 1024, 772]), {
      size: 28,
      rng: new SeededRandom(1),
      variation: NO_HANZI_VARIATION,
    });
    expect(at(top, 4, 14)).toBe(1);
    expect(at(top, 3, 14)).toBeCloseTo(1.55 - 1.3125, 6);
    expect(at(top, 5, 14)).toBeCloseTo(1.55 - 0.6875, 6);
    expect(at(top, 6, 14)).toBe(0);
  });

  it('draws nothing random without variation: the same image for any generator, which is left untouched', () => {
    const rng = new SeededRandom(5);
    const before = rng.getState();
    const a = renderHanzi(middleBar, { size: 28, rng, variation: NO_HANZI_VARIATION });
    expect(rng.getState()).toEqual(before);
    const b = renderHanzi(middleBar, { size: 28, rng: new SeededRandom(99), variation: NO_HANZI_VARIATION });
    expect(b).toEqual(a);
  });

  it('varies with the seed, and repeats for the same seed', () => {
    const char = glyph([130, 720, 890, 720], [510, 720, 510, -40, 430, 20]);
    const render = (seed: number) => renderHanzi(char, { size: 28, rng: new SeededRandom(seed) });
    expect(render(3)).toEqual(render(3));
    expect(render(3)).not.toEqual(render(4));
    expect(render(3)).not.toEqual(
      renderHanzi(char, { size: 28, rng: new SeededRandom(3), variation: NO_HANZI_VARIATION }),
    );
    for (const value of render(3)) expect(value >= 0 && value <= 1).toBe(true);
  });

  it('draws the pen width in its range: every image lies pixel by pixel between the thinnest and the thickest pen', () => {
    const thin = renderHanzi(middleBar, {
      size: 28,
      rng: new SeededRandom(0),
      variation: only({ penWidth: [0.05, 0.05] }),
    });
    const thick = renderHanzi(middleBar, {
      size: 28,
      rng: new SeededRandom(0),
      variation: only({ penWidth: [0.12, 0.12] }),
    });
    const sums = new Set<number>();
    for (let seed = 0; seed < 20; seed++) {
      const image = renderHanzi(middleBar, {
        size: 28,
        rng: new SeededRandom(seed),
        variation: only({ penWidth: [0.05, 0.12] }),
      });
      for (let p = 0; p < image.length; p++) {
        expect(image[p]).toBeGreaterThanOrEqual(thin[p]!);
        expect(image[p]).toBeLessThanOrEqual(thick[p]!);
      }
      sums.add(Math.round(image.reduce((a, b) => a + b, 0) * 1000));
    }
    expect(sums.size).toBeGreaterThan(10);
  });

  it('rotates by at most the largest rotation: the bar’s principal axis stays within it', () => {
    const angles: number[] = [];
    for (let seed = 0; seed < 30; seed++) {
      const image = renderHanzi(middleBar, {
        size: 28,
        rng: new SeededRandom(seed),
        variation: only({ rotation: 0.3 }),
      });
      // Orientation from the second moments of the ink: ½ atan2(2 μxy, μxx − μyy).
      let m = 0;
      let mx = 0;
      let my = 0;
      for (let r = 0; r < 28; r++)
        for (let c = 0; c < 28; c++) {
          const w = at(image, r, c);
          m += w;
          mx += w * (c + 0.5);
          my += w * (r + 0.5);
        }
      mx /= m;
      my /= m;
      let xx = 0;
      let yy = 0;
      let xy = 0;
      for (let r = 0; r < 28; r++)
        for (let c = 0; c < 28; c++) {
          const w = at(image, r, c);
          xx += w * (c + 0.5 - mx) ** 2;
          yy += w * (r + 0.5 - my) ** 2;
          xy += w * (c + 0.5 - mx) * (r + 0.5 - my);
        }
      angles.push(0.5 * Math.atan2(2 * xy, xx - yy));
      // Rotation is about the centre, which the bar passes through.
      expect(mx).toBeCloseTo(14, 0);
      expect(my).toBeCloseTo(14, 0);
    }
    // Pixel sampling blurs the angle by a few hundredths of a radian.
    expect(Math.max(...angles.map(Math.abs))).toBeLessThan(0.3 + 0.03);
    expect(Math.max(...angles)).toBeGreaterThan(0.15);
    expect(Math.min(...angles)).toBeLessThan(-0.15);
  });

  it('shifts by at most the largest shift, and scales the box', () => {
    for (let seed = 0; seed < 10; seed++) {
      const image = renderHanzi(middleBar, { size: 28, rng: new SeededRandom(seed), variation: only({ shift: 0.1 }) });
      const sums = rowSums(image);
      const centre = sums.reduce((a, s, r) => a + s * (r + 0.5), 0) / sums.reduce((a, b) => a + b, 0);
      expect(Math.abs(centre - 14)).toBeLessThanOrEqual(0.1 * 28 + 0.05);
    }
    // Box at ½ of the side: the bar spans x ∈ [7, 21]. On row 13 (½ above it) the caps reach columns 6 and 21
    // (centres ½ beyond the ends: d = √½ < 1.55) but not 5 and 22 (d = √(1½² + ½²) ≈ 1.58).
    const small = renderHanzi(middleBar, {
      size: 28,
      rng: new SeededRandom(0),
      variation: only({ scale: [0.5, 0.5] }),
    });
    const lit = Array.from({ length: 28 }, (_, c) => at(small, 13, c))
      .map((v, c) => (v > 0 ? c : -1))
      .filter((c) => c >= 0);
    expect([lit[0], lit.at(-1)]).toEqual([6, 21]);
  });

  it('jitters centre-line points: the samples differ, the ink stays where the stroke is', () => {
    const images = Array.from({ length: 5 }, (_, seed) =>
      renderHanzi(middleBar, { size: 28, rng: new SeededRandom(seed), variation: only({ jitter: 0.02 }) }),
    );
    expect(new Set(images.map((i) => i.join(','))).size).toBe(5);
    for (const image of images) {
      const sums = rowSums(image);
      // σ = 0.02 of the box ≈ 0.5 px: the ink stays within a few rows of row 14.
      expect(sums.filter((s, r) => (r < 10 || r > 18) && s > 0)).toEqual([]);
    }
  });

  it('renders 32 × 32 as well', () => {
    const image = renderHanzi(middleBar, { size: 32, rng: new SeededRandom(0), variation: NO_HANZI_VARIATION });
    expect(image).toHaveLength(32 * 32);
    // v = ½ → y = 16: rows 15 and 16; pen radius 1.2 → rows 14 and 17 at d = 1½ get 1.7 − 1.5.
    expect(at(image, 15, 16, 32)).toBe(1);
    expect(at(image, 14, 16, 32)).toBeCloseTo(0.2, 5);
  });

  it('refuses a malformed variation with one line', async () => {
    const rng = new SeededRandom(0);
    await expectDatasetError(
      () => renderHanzi(middleBar, { size: 28, rng, variation: { ...DEFAULT_HANZI_VARIATION, penWidth: [0.1, 0.05] } }),
      'INVALID_ARGUMENT',
      /^renderHanzi: expected variation\.penWidth as \[min, max\] with 0 < min ≤ max, got \[0\.1,0\.05\]$/,
    );
    await expectDatasetError(
      () => renderHanzi(middleBar, { size: 28, rng, variation: { ...DEFAULT_HANZI_VARIATION, jitter: -1 } }),
      'INVALID_ARGUMENT',
      /expected variation\.jitter ≥ 0, got -1$/,
    );
  });
});
