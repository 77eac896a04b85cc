import type * as tf from '@tensorflow/tfjs-core';
import type { KernelArgs, KernelFunc } from '../wasm-kernels/kernel-types';
import { heapOffsets } from './heap-offsets';
import { countNativeCall } from './native-kernel-calls';
import type { NativeBlasBinding } from './native-blas-binding';
import { conv2dInfo, nativeGeometry } from './native-conv2d';

/**
 * `Conv2DBackpropFilter` by OpenBLAS on the wasm heap: dW = Σ im2col(x)ᵀ · dy over blocks of output pixels, for
 * every stride and padding (stock wasm has none; this package's wasm replacement handles stride 1 alone). NCHW and
 * non-float32 inputs go to `below`.
 */
export function makeNativeConv2dBackpropFilter(native: NativeBlasBinding, below: () => KernelFunc): KernelFunc {
  return (args: KernelArgs): tf.TensorInfo => {
    const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
    if (x.dtype !== 'float32' || dy.dtype !== 'float32') return below()(args);
    const filterShape = args.attrs.filterShape as number[];
    const info = conv2dInfo(x.shape, filterShape, args.attrs, 1);
    if (!info) return below()(args);
    const dw = args.backend.makeOutput(filterShape, 'float32');
    const { heap, offsets } = heapOffsets(args.backend, [x, dy, dw]);
    native.blas.conv2dBackpropFilter(heap, offsets[0]!, offsets[1]!, offsets[2]!, nativeGeometry(native, info));
    countNativeCall('Conv2DBackpropFilter');
    return dw;
  };
}
