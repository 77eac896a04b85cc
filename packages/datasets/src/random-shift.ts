import type { SeededRandom } from '@empirical-bregman/common';
import { DatasetError } from './dataset-error';

/** Options of {@link randomShift}. */
export interface RandomShiftOptions {
  /** Largest shift in pixels along each axis; shifts are uniform integers in [−maxShift, maxShift]. Default 2. */
  readonly maxShift?: number;
  /** Also mirror left–right with probability ½ (for natural images such as CIFAR, not for digits). Default false. */
  readonly flip?: boolean;
}

/**
 * Light image augmentation: every image of a batch (row-major [b, height, width, channels]) is translated by a random
 * integer (dy, dx) ∈ [−s, s]², with the uncovered border filled with 0 (a "random crop with zero padding"), and
 * optionally mirrored. Returns a new array; `images` is untouched. Draws from `rng`, so a resumed run that restores
 * the generator's state augments identically.
 */
export function randomShift(
  images: Float32Array,
  sampleShape: readonly number[],
  rng: SeededRandom,
  options: RandomShiftOptions = {},
): Float32Array {
  const maxShift = options.maxShift ?? 2;
  if (sampleShape.length !== 3) {
    throw new DatasetError(
      'randomShift',
      'INVALID_SHAPE',
      `expected an image sample shape [height, width, channels], got [${sampleShape.join(', ')}]`,
    );
  }
  if (!Number.isInteger(maxShift) || maxShift < 0) {
    throw new DatasetError('randomShift', 'INVALID_ARGUMENT', `expected an integer maxShift >= 0, got ${maxShift}`);
  }
  const [h, w, c] = sampleShape;
  const size = h * w * c;
  if (images.length % size !== 0) {
    throw new DatasetError(
      'randomShift',
      'INVALID_SHAPE',
      `expected a multiple of ${size} values, got ${images.length}`,
    );
  }
  const out = new Float32Array(images.length);
  for (let n = 0; n < images.length / size; n++) {
    const dy = rng.int(2 * maxShift + 1) - maxShift;
    const dx = rng.int(2 * maxShift + 1) - maxShift;
    const flip = options.flip ? rng.next() < 0.5 : false;
    const base = n * size;
    for (let y = 0; y < h; y++) {
      const sy = y - dy;
      if (sy < 0 || sy >= h) continue;
      for (let x = 0; x < w; x++) {
        const tx = flip ? w - 1 - x : x;
        const sx = tx - dx;
        if (sx < 0 || sx >= w) continue;
        for (let k = 0; k < c; k++) out[base + (y * w + x) * c + k] = images[base + (sy * w + sx) * c + k];
      }
    }
  }
  return out;
}
