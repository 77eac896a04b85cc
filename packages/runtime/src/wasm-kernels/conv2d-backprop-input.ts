import type * as tf from '@tensorflow/tfjs-core';
import { explicitPad, stride1Padding } from './conv-geometry';
import { KernelScope } from './kernel-calls';
import type { KernelArgs, KernelFunc } from './kernel-types';

/**
 * `Conv2DBackpropInput` for the wasm backend, whose stock kernel is a naive loop.
 *
 * For stride 1, dx is the full correlation of dy with the filter rotated by 180° and its in/out channels swapped:
 * dx = Conv2D(dy padded by (k − 1 − p) on each side, W[kh−1−i, kw−1−j, o, c]), where p is the forward padding of
 * that side. Other configurations go to the stock kernel.
 */
export function makeConv2dBackpropInput(stock: KernelFunc): KernelFunc {
  return (args: KernelArgs): tf.TensorInfo => {
    const { dy, filter } = args.inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
    const inputShape = args.attrs.inputShape as [number, number, number, number];
    const geometry = stride1Padding('Conv2DBackpropInput', inputShape, filter.shape as never, args.attrs);
    if ('unsupported' in geometry) return stock(args);
    const [kh, kw] = filter.shape as [number, number, number, number];
    const { top, bottom, left, right } = geometry.padding;
    const scope = new KernelScope(args.backend);
    try {
      const rotated = scope.run('Reverse', { x: filter }, { dims: [0, 1] });
      const swapped = scope.transpose(rotated, [0, 1, 3, 2]);
      return scope.keep(
        scope.run(
          'Conv2D',
          { x: dy, filter: swapped },
          {
            strides: [1, 1],
            pad: explicitPad({
              top: kh - 1 - top,
              bottom: kh - 1 - bottom,
              left: kw - 1 - left,
              right: kw - 1 - right,
            }),
            dataFormat: 'NHWC',
            dilations: [1, 1],
          },
        ),
      );
    } finally {
      scope.dispose();
    }
  };
}
