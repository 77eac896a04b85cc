import type { SeededRandom } from '@empirical-bregman/common';
import { DatasetError } from '../dataset-error';
import type { HanziCharacter } from './parse-hanzi-character';
import { renderStrokes } from './render-strokes';

/**
 * How much one rendered sample of a character differs from another; every quantity is drawn independently per
 * sample, uniformly in [−max, max] (or in [min, max]) unless said otherwise. Lengths are fractions of the image side
 * (pen width, shift) or of the font's em box (jitter).
 */
export interface HanziVariation {
  /** Pen width, drawn in [min, max]. Default [0.06, 0.09]: about 1.7–2.5 px at 28 × 28, like the font's strokes. */
  readonly penWidth: readonly [number, number];
  /** Standard deviation of the Gaussian noise added to each centre-line point (x and y). Default 0.012. */
  readonly jitter: number;
  /** Largest rotation about the image centre, radians. Default 0.12 (≈ 7°). */
  readonly rotation: number;
  /** Size of the em box relative to the image side, drawn in [min, max]. Default [0.8, 0.95]. */
  readonly scale: readonly [number, number];
  /** Largest horizontal shear (x += shear · y, about the centre). Default 0.15. */
  readonly shear: number;
  /** Largest shift of the centre along each axis. Default 0.05. */
  readonly shift: number;
}

/** The default per-sample variation (see {@link HanziVariation}). */
export const DEFAULT_HANZI_VARIATION: HanziVariation = {
  penWidth: [0.06, 0.09],
  jitter: 0.012,
  rotation: 0.12,
  scale: [0.8, 0.95],
  shear: 0.15,
  shift: 0.05,
};

/** No variation: every sample of a character is the same canonical image (pen 0.075, em box at 0.875 of the side). */
export const NO_HANZI_VARIATION: HanziVariation = {
  penWidth: [0.075, 0.075],
  jitter: 0,
  rotation: 0,
  scale: [0.875, 0.875],
  shear: 0,
  shift: 0,
};

/** The font's em box: x ∈ [0, 1024], y ∈ [−124, 900] with y up (Make Me a Hanzi's convention). */
const EM = 1024;
const TOP = 900;

function checkVariation(v: HanziVariation): void {
  const bad = (what: string, got: unknown): never => {
    throw new DatasetError('renderHanzi', 'INVALID_ARGUMENT', `expected ${what}, got ${JSON.stringify(got)}`);
  };
  const range = (r: readonly [number, number], name: string, low: number) => {
    if (!Array.isArray(r) || r.length !== 2 || !(r[0] > low) || !(r[1] >= r[0]) || !Number.isFinite(r[1]))
      bad(`variation.${name} as [min, max] with ${low} < min ≤ max`, r);
  };
  range(v.penWidth, 'penWidth', 0);
  range(v.scale, 'scale', 0);
  for (const key of ['jitter', 'rotation', 'shear', 'shift'] as const) {
    if (!(v[key] >= 0 && Number.isFinite(v[key]))) bad(`variation.${key} ≥ 0`, v[key]);
  }
}

/**
 * Renders one sample of a character: a grey `size × size` image (row-major, ink 1 on background 0, like MNIST).
 *
 * Each stroke is drawn along its centre-line with a round pen ({@link renderStrokes}); per sample, drawn from `rng`
 * in this order: the pen width, the scale, the rotation, the shear, the shift (x then y), then Gaussian jitter for
 * every centre-line point (x then y, stroke by stroke). The em box (u, v) ∈ [0, 1]², u = x / 1024,
 * v = (900 − y) / 1024, is mapped to pixels by p = size · (½ + shift + R(θ) · Sh · s · (u − ½, v − ½)), with R the
 * rotation and Sh = [[1, shear], [0, 1]]. With {@link NO_HANZI_VARIATION} nothing random is drawn and every call
 * gives the same image.
 *
 * ```ts
 * const image = renderHanzi(character, { size: 28, rng: new SeededRandom('一/0') });
 * ```
 */
export function renderHanzi(
  character: HanziCharacter,
  options: { readonly size: number; readonly rng: SeededRandom; readonly variation?: HanziVariation },
  target?: Float32Array,
): Float32Array {
  const { size, rng } = options;
  const v = options.variation ?? DEFAULT_HANZI_VARIATION;
  checkVariation(v);
  const draw = (low: number, high: number) => (high > low ? rng.uniform(low, high) : low);
  const penWidth = draw(v.penWidth[0], v.penWidth[1]);
  const scale = draw(v.scale[0], v.scale[1]);
  const theta = draw(-v.rotation, v.rotation);
  const shear = draw(-v.shear, v.shear);
  const shiftX = draw(-v.shift, v.shift);
  const shiftY = draw(-v.shift, v.shift);
  // M = size · s · R(θ) · Sh, applied to (u − ½, v − ½).
  const cos = Math.cos(theta);
  const sin = Math.sin(theta);
  const k = size * scale;
  const m00 = k * cos;
  const m01 = k * (cos * shear - sin);
  const m10 = k * sin;
  const m11 = k * (sin * shear + cos);
  const cx = size * (0.5 + shiftX);
  const cy = size * (0.5 + shiftY);
  const strokes = character.medians.map((median) => {
    const points = new Float32Array(median.length);
    for (let i = 0; i < median.length; i += 2) {
      let u = median[i]! / EM - 0.5;
      let w = (TOP - median[i + 1]!) / EM - 0.5;
      if (v.jitter > 0) {
        u += rng.normal(0, v.jitter);
        w += rng.normal(0, v.jitter);
      }
      points[i] = cx + m00 * u + m01 * w;
      points[i + 1] = cy + m10 * u + m11 * w;
    }
    return points;
  });
  return renderStrokes(strokes, (penWidth * size) / 2, size, target);
}
