/**
 * A 2-D convolution as the addon sees it: NHWC input [batch, inHeight, inWidth, inChannels], filter
 * [filterHeight, filterWidth, inChannels, outChannels], output [batch, outHeight, outWidth, outChannels]. Output pixel
 * (y, x) reads input rows y·strideHeight − padTop + i·dilationHeight for filter rows i (columns likewise); reads
 * outside the input are 0 (the padding).
 */
export interface ConvGeometry {
  batch: number;
  inHeight: number;
  inWidth: number;
  inChannels: number;
  outHeight: number;
  outWidth: number;
  outChannels: number;
  filterHeight: number;
  filterWidth: number;
  strideHeight: number;
  strideWidth: number;
  dilationHeight: number;
  dilationWidth: number;
  padTop: number;
  padLeft: number;
}

// The order of the addon's geometry array (native_blas.c, enum G_*).
const FIELDS: readonly (keyof ConvGeometry)[] = [
  'batch',
  'inHeight',
  'inWidth',
  'inChannels',
  'outHeight',
  'outWidth',
  'outChannels',
  'filterHeight',
  'filterWidth',
  'strideHeight',
  'strideWidth',
  'dilationHeight',
  'dilationWidth',
  'padTop',
  'padLeft',
];

/**
 * The geometry array the addon's convolution functions take.
 *
 * ```ts
 * // 3×3 'same' convolution of one 28×28 grey image into 32 channels
 * const g = convGeometry({ batch: 1, inHeight: 28, inWidth: 28, inChannels: 1, outHeight: 28, outWidth: 28,
 *   outChannels: 32, filterHeight: 3, filterWidth: 3, strideHeight: 1, strideWidth: 1, dilationHeight: 1,
 *   dilationWidth: 1, padTop: 1, padLeft: 1 });
 * blas.conv2d(heap, xOffset, filterOffset, yOffset, g);
 * ```
 */
export function convGeometry(geometry: ConvGeometry): Int32Array {
  return Int32Array.from(FIELDS, (field) => geometry[field]);
}
