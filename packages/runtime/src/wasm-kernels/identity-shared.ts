import type * as tf from '@tensorflow/tfjs-core';
import type { KernelArgs, KernelFunc } from './kernel-types';

/**
 * `Identity` for the wasm backend that shares the input's memory (a reference count), as the cpu backend does and as
 * wasm's own `Reshape` does, instead of copying it. tfjs records every op of a gradient tape by *cloning* the
 * tensors its gradient needs, and a clone is an `Identity`: the stock wasm kernel copies each one in JavaScript
 * (measured here: ~9% of the W2 backward pass). Tensors are immutable (a variable's `assign` swaps its data rather
 * than writing into it), so sharing is safe. Strings go to the stock kernel.
 */
export function makeSharedIdentity(stock: KernelFunc): KernelFunc {
  return (args: KernelArgs): tf.TensorInfo => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    if (x.dtype === 'string') return stock(args);
    args.backend.incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
}
