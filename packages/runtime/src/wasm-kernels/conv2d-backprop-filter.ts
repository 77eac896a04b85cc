import type * as tf from '@tensorflow/tfjs-core';
import { RuntimeError } from '../runtime-error';
import { explicitPad, stride1Padding } from './conv-geometry';
import { KernelScope } from './kernel-calls';
import type { KernelArgs, KernelFunc } from './kernel-types';

/**
 * `Conv2DBackpropFilter` for the wasm backend, which has none (so no CNN can train on stock tfjs-wasm 4.22).
 *
 * For stride 1, dW[i, j, c, o] = Σ_{b, y, x} x̃[b, y + i, x + j, c] · dy[b, y, x, o], with x̃ the padded input.
 * That is itself a 'valid' convolution in which the input channel c plays the batch, the batch b plays the channel
 * and dy is the filter: Conv2D(xᵀ: [C, H, W, B], dyᵀ: [Ho, Wo, B, O]) → [C, kh, kw, O], transposed to
 * [kh, kw, C, O]. So the gradient runs on wasm's fast (XNNPACK) convolution with the forward pass's padding.
 */
export const conv2dBackpropFilter: KernelFunc = (args: KernelArgs): tf.TensorInfo => {
  const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const filterShape = args.attrs.filterShape as [number, number, number, number];
  const geometry = stride1Padding('Conv2DBackpropFilter', x.shape as never, filterShape, args.attrs);
  if ('unsupported' in geometry) {
    throw new RuntimeError(
      'Conv2DBackpropFilter (wasm, @empirical-bregman/runtime)',
      'UNSUPPORTED',
      `expected a stride-1 NHWC convolution, got ${geometry.unsupported}; train this model on the cpu backend ` +
        '(BREGMAN_BACKEND=cpu)',
    );
  }
  const scope = new KernelScope(args.backend);
  try {
    const xT = scope.transpose(x, [3, 1, 2, 0]);
    const dyT = scope.transpose(dy, [1, 2, 0, 3]);
    const conv = scope.run(
      'Conv2D',
      { x: xT, filter: dyT },
      { strides: [1, 1], pad: explicitPad(geometry.padding), dataFormat: 'NHWC', dilations: [1, 1] },
    );
    return scope.keep(scope.transpose(conv, [1, 2, 0, 3]));
  } finally {
    scope.dispose();
  }
};
