import type * as tf from '@tensorflow/tfjs-core';
import type { KernelArgs, KernelFunc } from '../wasm-kernels/kernel-types';
import { heapOffsets } from './heap-offsets';
import { countNativeCall } from './native-kernel-calls';
import type { NativeBlasBinding } from './native-blas-binding';
import { conv2dInfo, nativeGeometry } from './native-conv2d';

/**
 * `Conv2DBackpropInput` by OpenBLAS on the wasm heap: dx = col2im(dy · Wᵀ), for every stride and padding (stock
 * wasm has only a naive loop; this package's wasm replacement handles stride 1 alone). NCHW and non-float32 inputs
 * go to `below`.
 */
export function makeNativeConv2dBackpropInput(native: NativeBlasBinding, below: () => KernelFunc): KernelFunc {
  return (args: KernelArgs): tf.TensorInfo => {
    const { dy, filter } = args.inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
    if (dy.dtype !== 'float32' || filter.dtype !== 'float32') return below()(args);
    const inputShape = args.attrs.inputShape as number[];
    // tfjs differentiates only undilated convolutions (its conv2d gradient refuses dilations > 1).
    const info = conv2dInfo(inputShape, filter.shape, args.attrs, 1);
    if (!info) return below()(args);
    const dx = args.backend.makeOutput(inputShape, 'float32');
    const { heap, offsets } = heapOffsets(args.backend, [dy, filter, dx]);
    native.blas.conv2dBackpropInput(heap, offsets[0]!, offsets[1]!, offsets[2]!, nativeGeometry(native, info));
    countNativeCall('Conv2DBackpropInput');
    return dx;
  };
}
