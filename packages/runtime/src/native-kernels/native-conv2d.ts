import * as tf from '@tensorflow/tfjs-core';
import type { KernelArgs, KernelFunc } from '../wasm-kernels/kernel-types';
import { applyEpilogue, type FusedEpilogue, fusedEpilogue } from './fused-epilogue';
import { heapOffsets } from './heap-offsets';
import { countNativeCall } from './native-kernel-calls';
import type { NativeBlasBinding } from './native-blas-binding';

/**
 * Below this many values per patch (filter height × width × input channels), XNNPACK's direct convolution is as
 * fast as im2col + sgemm (issue 23's probe: 3.4–3.7× faster from 16 on), so those stay on wasm.
 */
export const MIN_NATIVE_PATCH = 16;

/** tfjs's convolution parameters for an NHWC convolution, or null for another data format. */
export function conv2dInfo(
  xShape: readonly number[],
  filterShape: readonly number[],
  attrs: Record<string, unknown>,
  dilations: number | [number, number] = (attrs.dilations as number | [number, number] | undefined) ?? 1,
): tf.backend_util.Conv2DInfo | null {
  const dataFormat = (attrs.dataFormat as string | undefined) ?? 'NHWC';
  if (dataFormat !== 'NHWC') return null;
  return tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides as number | [number, number],
    dilations,
    attrs.pad as 'valid' | 'same' | number | tf.backend_util.ExplicitPadding,
    attrs.dimRoundingMode as 'floor' | 'round' | 'ceil' | undefined,
  );
}

/** The addon's geometry array for a convolution tfjs described. */
export function nativeGeometry(native: NativeBlasBinding, info: tf.backend_util.Conv2DInfo): Int32Array {
  return native.convGeometry({
    batch: info.batchSize,
    inHeight: info.inHeight,
    inWidth: info.inWidth,
    inChannels: info.inChannels,
    outHeight: info.outHeight,
    outWidth: info.outWidth,
    outChannels: info.outChannels,
    filterHeight: info.filterHeight,
    filterWidth: info.filterWidth,
    strideHeight: info.strideHeight,
    strideWidth: info.strideWidth,
    dilationHeight: info.dilationHeight,
    dilationWidth: info.dilationWidth,
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
  });
}

/**
 * `Conv2D` (or, with `fused`, `FusedConv2D`: bias and activation in one more pass) by im2col + OpenBLAS sgemm on
 * the wasm heap, for every stride, dilation and padding ('valid', 'same', a number or explicit). Patches smaller than
 * `MIN_NATIVE_PATCH`, NCHW, non-float32 inputs and epilogues the addon does not have go to `below`.
 */
export function makeNativeConv2d(native: NativeBlasBinding, below: () => KernelFunc, fused: boolean): KernelFunc {
  const kernel = fused ? 'FusedConv2D' : 'Conv2D';
  return (args: KernelArgs): tf.TensorInfo => {
    const { x, filter } = args.inputs as { x: tf.TensorInfo; filter: tf.TensorInfo };
    if (x.dtype !== 'float32' || filter.dtype !== 'float32') return below()(args);
    const info = conv2dInfo(x.shape, filter.shape, args.attrs);
    if (!info || info.filterHeight * info.filterWidth * info.inChannels < MIN_NATIVE_PATCH) return below()(args);
    let epilogue: FusedEpilogue | null = null;
    if (fused) {
      epilogue = fusedEpilogue(native, args.inputs, args.attrs, info.outChannels);
      if (!epilogue) return below()(args);
    }
    const out = args.backend.makeOutput(info.outShape, 'float32');
    const extra = [...(epilogue?.bias ? [epilogue.bias] : []), ...(epilogue?.prelu ? [epilogue.prelu] : [])];
    // After makeOutput: it may have grown the heap (see heapOffsets).
    const { heap, offsets } = heapOffsets(args.backend, [x, filter, out, ...extra]);
    const [offX, offFilter, offY] = offsets as [number, number, number];
    native.blas.conv2d(heap, offX, offFilter, offY, nativeGeometry(native, info));
    if (epilogue) {
      const count = info.outShape.reduce((p, d) => p * d, 1);
      const biasOffset = epilogue.bias ? offsets[3]! : -1;
      const preluOffset = epilogue.prelu ? offsets[epilogue.bias ? 4 : 3]! : -1;
      applyEpilogue(native, heap, offY, count, info.outChannels, epilogue, biasOffset, preluOffset);
    }
    countNativeCall(kernel);
    return out;
  };
}
