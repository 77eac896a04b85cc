import * as tf from '@tensorflow/tfjs-core';
import type { KernelArgs, KernelFunc } from './kernel-types';

/**
 * `MaxPoolGrad` (NHWC) on the wasm heap with tfjs-cpu's semantics, the same as the native kernel's: each window's dy
 * goes to its first strictly greatest input in row-major order (ties: the first; NaN never; a window of only −∞/NaN
 * passes nothing), and each dx sums the dy of the windows it won in double, rounded once to float32.
 *
 * Why not the stock wasm kernel (tfjs-backend-wasm 4.22): it keeps the LAST max on ties and starts its running max
 * at FLT_MIN, the smallest positive float, so a window whose inputs are all ≤ 0 passes its gradient to no input of
 * the window (at most to the tensor's first element): pooling before an activation, or over negative features,
 * trained on a wrong gradient whenever the native kernels were off (the browser, BREGMAN_NATIVE=0). Non-float32
 * inputs go to `below`.
 */
export function makeMaxPoolGrad(below: KernelFunc): KernelFunc {
  return (args: KernelArgs): tf.TensorInfo => {
    const { dy, input } = args.inputs as { dy: tf.TensorInfo; input: tf.TensorInfo };
    if (dy.dtype !== 'float32' || input.dtype !== 'float32' || input.shape.length !== 4) return below(args);
    const { filterSize, strides, pad, dimRoundingMode } = args.attrs as unknown as tf.MaxPoolGradAttrs;
    const [batch, height, width, channels] = input.shape as [number, number, number, number];
    const info = tf.backend_util.computePool2DInfo(
      [batch, height, width, channels],
      filterSize,
      strides,
      1,
      pad,
      dimRoundingMode,
    );
    const dx = args.backend.makeOutput(input.shape, 'float32');
    // After makeOutput: allocating may grow the heap and detach views taken before.
    const heap = args.backend.wasm.HEAPF32;
    const offset = (t: tf.TensorInfo) => args.backend.dataIdMap.get(t.dataId)!.memoryOffset / 4;
    const [xAt, dyAt, dxAt] = [offset(input), offset(dy), offset(dx)];
    const { outHeight, outWidth, strideHeight, strideWidth, filterHeight, filterWidth } = info;
    const { top, left } = info.padInfo;
    const count = batch * height * width * channels;
    // Windows that overlap can both pick one input: its dy are summed in double, rounded once. Windows that do not
    // (the usual 2×2 pool with stride 2) give each input at most one dy, written straight into dx: the same values,
    // without an array of the input's size in double per call.
    const sums = strideHeight < filterHeight || strideWidth < filterWidth ? new Float64Array(count) : null;
    if (!sums) heap.fill(0, dxAt, dxAt + count);
    const best = new Float32Array(channels);
    const winner = new Int32Array(channels);
    for (let b = 0; b < batch; b++)
      for (let oy = 0; oy < outHeight; oy++)
        for (let ox = 0; ox < outWidth; ox++) {
          best.fill(Number.NEGATIVE_INFINITY);
          winner.fill(-1);
          // Window positions in row-major order, every channel at once (contiguous in NHWC).
          for (let ky = 0; ky < filterHeight; ky++) {
            const iy = oy * strideHeight - top + ky;
            if (iy < 0 || iy >= height) continue;
            for (let kx = 0; kx < filterWidth; kx++) {
              const ix = ox * strideWidth - left + kx;
              if (ix < 0 || ix >= width) continue;
              const base = ((b * height + iy) * width + ix) * channels;
              for (let c = 0; c < channels; c++) {
                const v = heap[xAt + base + c]!;
                if (v > best[c]!) {
                  best[c] = v;
                  winner[c] = base + c;
                }
              }
            }
          }
          const dyBase = dyAt + ((b * outHeight + oy) * outWidth + ox) * channels;
          for (let c = 0; c < channels; c++) {
            const at = winner[c]!;
            if (at < 0) continue;
            if (sums) sums[at]! += heap[dyBase + c]!;
            else heap[dxAt + at] = heap[dyBase + c]!;
          }
        }
    if (sums) heap.set(sums, dxAt);
    return dx;
  };
}
