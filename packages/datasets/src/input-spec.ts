import type { NpyDtype } from './parse-npy';

/**
 * What a model trained on loaded files needs to turn new raw input into the same features, saved with the model.
 *
 * - `table` (CSV/TSV): a sample is the row's `featureNames` columns in this order, as decimal numbers (the label column
 *   dropped), unscaled.
 * - `array` (NPY/NPZ): a sample is an array of `sampleShape` read as stored (`dtype`), unscaled: uint8 stays 0–255.
 * - `image` (image folder, IDX): decode, apply the EXIF orientation, composite any alpha onto black, resize to
 *   `width` × `height` with sharp's `fit` (`resize`; `'none'`: the images must already have that size), convert to
 *   grey (`channels` 1, sharp's `b-w`) or sRGB (3), then feature = pixel / `divisor`, height × width × channels.
 */
export type InputSpec =
  | {
      readonly kind: 'table';
      readonly featureNames: readonly string[];
      readonly labelColumn: string;
      readonly delimiter: ',' | '\t';
    }
  | { readonly kind: 'array'; readonly dtype: NpyDtype; readonly sampleShape: readonly number[] }
  | {
      readonly kind: 'image';
      readonly height: number;
      readonly width: number;
      readonly channels: 1 | 3;
      readonly resize: 'none' | ImageFit;
      readonly divisor: 255;
    };

/**
 * How an image is brought to the requested size (sharp's `fit`): `cover` keeps the aspect ratio and crops the centre,
 * `fill` stretches, `contain` keeps the aspect ratio and pads with black.
 */
export type ImageFit = 'cover' | 'fill' | 'contain';
