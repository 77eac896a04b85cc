import * as tf from '@tensorflow/tfjs-core';
import type { KernelArgs, KernelFunc } from '../wasm-kernels/kernel-types';
import { heapOffsets } from './heap-offsets';
import { countNativeCall } from './native-kernel-calls';
import type { NativeBlasBinding } from './native-blas-binding';
import { nativeGeometry } from './native-conv2d';

/**
 * `MaxPoolGrad` (NHWC, every window, stride and padding tfjs's `computePool2DInfo` describes) on the wasm heap, with
 * tfjs-cpu's semantics: each window's dy goes to its first strictly greatest input in row-major order. Why not the
 * stock kernel: it is 52% of W4's step (issue 23's profile: 153 ms for 2 calls at batch 128), and it keeps the LAST
 * max on ties and starts from FLT_MIN, so a window whose inputs are all negative passes no gradient (to x[0] at
 * best). Non-float32 tensors go to `below`.
 */
export function makeNativeMaxPoolGrad(native: NativeBlasBinding, below: () => KernelFunc): KernelFunc {
  return (args: KernelArgs): tf.TensorInfo => {
    const { dy, input } = args.inputs as { dy: tf.TensorInfo; input: tf.TensorInfo };
    if (dy.dtype !== 'float32' || input.dtype !== 'float32' || input.shape.length !== 4) return below()(args);
    const { filterSize, strides, pad, dimRoundingMode } = args.attrs as unknown as tf.MaxPoolGradAttrs;
    const info = tf.backend_util.computePool2DInfo(
      input.shape as [number, number, number, number],
      filterSize,
      strides,
      1,
      pad,
      dimRoundingMode,
    );
    const dx = args.backend.makeOutput(input.shape, 'float32');
    // After makeOutput: it may have grown the heap (see heapOffsets).
    const { heap, offsets } = heapOffsets(args.backend, [input, dy, dx]);
    // A pool's geometry is a convolution's with as many output channels as input channels (computePool2DInfo).
    const geometry = nativeGeometry(native, info);
    native.blas.maxPoolGrad(heap, offsets[0]!, offsets[1]!, offsets[2]!, geometry);
    countNativeCall('MaxPoolGrad');
    return dx;
  };
}
