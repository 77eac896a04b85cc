import type * as tf from '@tensorflow/tfjs-core';
import { KernelScope, swapLastTwo } from './kernel-calls';
import type { KernelArgs, KernelFunc } from './kernel-types';

/**
 * `BatchMatMul` / `_FusedMatMul` with `transposeA`/`transposeB` for the wasm backend: an explicit `Transpose` then
 * the stock kernel without flags. Measured on tfjs-wasm 4.22 in Node, the stock kernel with a transpose flag is
 * 10–66× slower than without (XNNPACK is only used for the plain layout), and every backward pass of a dense layer
 * sets one of the flags. The transpose costs one pass over one operand, O(size), against the O(m·n·k) product.
 */
export function makeTransposingMatMul(stock: KernelFunc): KernelFunc {
  return (args: KernelArgs): tf.TensorInfo => {
    const { transposeA, transposeB } = args.attrs as { transposeA?: boolean; transposeB?: boolean };
    if (!transposeA && !transposeB) return stock(args);
    const scope = new KernelScope(args.backend);
    try {
      let { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
      if (transposeA) a = scope.transpose(a, swapLastTwo(a.shape.length));
      if (transposeB) b = scope.transpose(b, swapLastTwo(b.shape.length));
      return stock({
        inputs: { ...args.inputs, a, b },
        backend: args.backend,
        attrs: { ...args.attrs, transposeA: false, transposeB: false },
      });
    } finally {
      scope.dispose();
    }
  };
}
