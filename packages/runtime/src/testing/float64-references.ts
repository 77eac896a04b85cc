// Float64 references for the kernel tests: products and convolutions computed from their definitions, each with the
// sum of |terms| per output value (the scale of a float32 result's rounding error, so a tolerance can be relative to
// what was summed). Deliberately independent of tfjs: the padding and output sizes follow TensorFlow's documented
// formulas, not `computeConv2DInfo`.

export interface Float64Result {
  shape: number[];
  values: Float64Array;
  /** Σ |term| behind each value. */
  scale: Float64Array;
}

const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/**
 * op(A)·op(B) over batches; a batch of one product (all leading sizes 1, or rank 2) is repeated against the other
 * operand's batch, as tfjs broadcasts.
 */
export function matMulReference(
  a: Float32Array,
  aShape: readonly number[],
  b: Float32Array,
  bShape: readonly number[],
  transposeA: boolean,
  transposeB: boolean,
): Float64Result {
  const [ra, rb] = [aShape.length, bShape.length];
  const m = transposeA ? aShape[ra - 1]! : aShape[ra - 2]!;
  const k = transposeA ? aShape[ra - 2]! : aShape[ra - 1]!;
  const n = transposeB ? bShape[rb - 2]! : bShape[rb - 1]!;
  const batchA = size(aShape.slice(0, -2));
  const batchB = size(bShape.slice(0, -2));
  const outer = (batchA >= batchB ? aShape : bShape).slice(0, -2);
  const batch = Math.max(batchA, batchB);
  const values = new Float64Array(batch * m * n);
  const scale = new Float64Array(batch * m * n);
  for (let t = 0; t < batch; t++) {
    const offA = (batchA === 1 ? 0 : t) * m * k;
    const offB = (batchB === 1 ? 0 : t) * k * n;
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) {
        let sum = 0;
        let abs = 0;
        for (let p = 0; p < k; p++) {
          const term =
            a[offA + (transposeA ? p * m + i : i * k + p)]! * b[offB + (transposeB ? j * k + p : p * n + j)]!;
          sum += term;
          abs += Math.abs(term);
        }
        values[(t * m + i) * n + j] = sum;
        scale[(t * m + i) * n + j] = abs;
      }
  }
  return { shape: [...outer, m, n], values, scale };
}

export type Padding = 'valid' | 'same' | number | [[0, 0], [number, number], [number, number], [0, 0]];

/** Where an NHWC convolution reads: output size, padding before the first row and column, strides, dilations. */
export interface ConvWindows {
  outHeight: number;
  outWidth: number;
  padTop: number;
  padLeft: number;
  strides: [number, number];
  dilations: [number, number];
}

/** TensorFlow's output size and leading padding for one spatial axis. */
function axis(input: number, filter: number, stride: number, dilation: number, pad: Padding, index: 1 | 2) {
  const effective = (filter - 1) * dilation + 1;
  if (pad === 'valid') return { out: Math.ceil((input - effective + 1) / stride), before: 0 };
  if (pad === 'same') {
    const out = Math.ceil(input / stride);
    return { out, before: Math.floor(Math.max(0, (out - 1) * stride + effective - input) / 2) };
  }
  const [before, after] = typeof pad === 'number' ? [pad, pad] : pad[index];
  return { out: Math.floor((input + before + after - effective) / stride) + 1, before };
}

export function convWindows(
  inShape: readonly number[],
  filterShape: readonly number[],
  strides: [number, number],
  dilations: [number, number],
  pad: Padding,
): ConvWindows {
  const rows = axis(inShape[1]!, filterShape[0]!, strides[0], dilations[0], pad, 1);
  const cols = axis(inShape[2]!, filterShape[1]!, strides[1], dilations[1], pad, 2);
  return { outHeight: rows.out, outWidth: cols.out, padTop: rows.before, padLeft: cols.before, strides, dilations };
}

/**
 * Visits every (output pixel, filter tap) pair of a convolution whose input pixel lies inside the input, with the
 * flat indices of the input pixel's channel 0, the output pixel's channel 0 and the filter tap's [c = 0, o = 0].
 */
function forEachTap(
  xShape: readonly number[],
  filterShape: readonly number[],
  w: ConvWindows,
  visit: (xAt: number, yAt: number, fAt: number) => void,
): void {
  const [batch, height, width, channels] = xShape as [number, number, number, number];
  const [kh, kw, , outChannels] = filterShape as [number, number, number, number];
  for (let b = 0; b < batch; b++)
    for (let oy = 0; oy < w.outHeight; oy++)
      for (let ox = 0; ox < w.outWidth; ox++)
        for (let i = 0; i < kh; i++)
          for (let j = 0; j < kw; j++) {
            const iy = oy * w.strides[0] - w.padTop + i * w.dilations[0];
            const ix = ox * w.strides[1] - w.padLeft + j * w.dilations[1];
            if (iy < 0 || iy >= height || ix < 0 || ix >= width) continue;
            visit(
              ((b * height + iy) * width + ix) * channels,
              ((b * w.outHeight + oy) * w.outWidth + ox) * outChannels,
              (i * kw + j) * channels * outChannels,
            );
          }
}

/** y[b, oy, ox, o] = Σ x[b, oy·s − p + i·d, ox·s − p + j·d, c] · W[i, j, c, o]. */
export function conv2dReference(
  x: Float32Array,
  xShape: readonly number[],
  filter: Float32Array,
  filterShape: readonly number[],
  w: ConvWindows,
): Float64Result {
  const [channels, outChannels] = [filterShape[2]!, filterShape[3]!];
  const shape = [xShape[0]!, w.outHeight, w.outWidth, outChannels];
  const values = new Float64Array(size(shape));
  const scale = new Float64Array(size(shape));
  forEachTap(xShape, filterShape, w, (xAt, yAt, fAt) => {
    for (let c = 0; c < channels; c++)
      for (let o = 0; o < outChannels; o++) {
        const term = x[xAt + c]! * filter[fAt + c * outChannels + o]!;
        values[yAt + o]! += term;
        scale[yAt + o]! += Math.abs(term);
      }
  });
  return { shape, values, scale };
}

/** dx[b, iy, ix, c] = Σ over the taps that read (iy, ix) of dy[b, oy, ox, o] · W[i, j, c, o]. */
export function conv2dBackpropInputReference(
  dy: Float32Array,
  xShape: readonly number[],
  filter: Float32Array,
  filterShape: readonly number[],
  w: ConvWindows,
): Float64Result {
  const [channels, outChannels] = [filterShape[2]!, filterShape[3]!];
  const values = new Float64Array(size(xShape));
  const scale = new Float64Array(size(xShape));
  forEachTap(xShape, filterShape, w, (xAt, yAt, fAt) => {
    for (let c = 0; c < channels; c++)
      for (let o = 0; o < outChannels; o++) {
        const term = dy[yAt + o]! * filter[fAt + c * outChannels + o]!;
        values[xAt + c]! += term;
        scale[xAt + c]! += Math.abs(term);
      }
  });
  return { shape: [...xShape], values, scale };
}

/** dW[i, j, c, o] = Σ over output pixels of x[b, oy·s − p + i, ox·s − p + j, c] · dy[b, oy, ox, o]. */
export function conv2dBackpropFilterReference(
  x: Float32Array,
  xShape: readonly number[],
  dy: Float32Array,
  filterShape: readonly number[],
  w: ConvWindows,
): Float64Result {
  const [channels, outChannels] = [filterShape[2]!, filterShape[3]!];
  const values = new Float64Array(size(filterShape));
  const scale = new Float64Array(size(filterShape));
  forEachTap(xShape, filterShape, w, (xAt, yAt, fAt) => {
    for (let c = 0; c < channels; c++)
      for (let o = 0; o < outChannels; o++) {
        const term = x[xAt + c]! * dy[yAt + o]!;
        values[fAt + c * outChannels + o]! += term;
        scale[fAt + c * outChannels + o]! += Math.abs(term);
      }
  });
  return { shape: [...filterShape], values, scale };
}

/** The activations tfjs fuses, in float64. */
export const FLOAT64_ACTIVATIONS: Record<string, (v: number, slope: number, alpha: number) => number> = {
  linear: (v) => v,
  relu: (v) => Math.max(v, 0),
  relu6: (v) => Math.min(Math.max(v, 0), 6),
  prelu: (v, slope) => (v < 0 ? slope * v : v),
  leakyrelu: (v, _, alpha) => (v < 0 ? alpha * v : v),
  sigmoid: (v) => 1 / (1 + Math.exp(-v)),
  elu: (v) => (v < 0 ? Math.expm1(v) : v),
};
