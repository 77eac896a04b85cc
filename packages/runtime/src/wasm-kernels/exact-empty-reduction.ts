import type * as tf from '@tensorflow/tfjs-core';
import type { KernelArgs, KernelFunc, WasmBackendLike } from './kernel-types';

/** The reductions whose stock wasm kernels leave their output unwritten when the reduced axes are empty. */
export type EmptyReductionKernel = 'Sum' | 'Mean' | 'Prod' | 'Max' | 'Min' | 'Any' | 'All';

/**
 * The value each output element takes when nothing is reduced into it, as tfjs-backend-cpu 4.22 gives it (the
 * reference backend; read from its kernels and checked against it by the tests):
 * - Sum 0 and Prod 1, the identities;
 * - Mean 0, not NaN: cpu divides each element by the (zero) count, then sums no elements;
 * - Max and Min NaN for float32 and 0 for int32: cpu starts from the first element, which an empty input lacks, and
 *   `undefined` stored in a Float32Array is NaN, in an Int32Array 0;
 * - Any and All false (0), for the same reason: so `all` of nothing is false on cpu, not the vacuous true.
 */
function emptyValue(kernel: EmptyReductionKernel, dtype: tf.DataType): number {
  switch (kernel) {
    case 'Sum':
    case 'Mean':
    case 'Any':
    case 'All':
      return 0;
    case 'Prod':
      return 1;
    case 'Max':
    case 'Min':
      return dtype === 'float32' ? Number.NaN : 0;
  }
}

/** Writes `value` into every element of `t` (a fresh kernel output on the wasm heap). */
function fillOutput(backend: WasmBackendLike, t: tf.TensorInfo, value: number): void {
  const size = t.shape.reduce((a, b) => a * b, 1);
  if (size === 0) return;
  const offset = backend.dataIdMap.get(t.dataId)!.memoryOffset;
  const heap = backend.wasm;
  if (t.dtype === 'float32') heap.HEAPF32.fill(value, offset / 4, offset / 4 + size);
  else if (t.dtype === 'int32') heap.HEAP32.fill(value, offset / 4, offset / 4 + size);
  else if (t.dtype === 'bool') heap.HEAPU8.fill(value, offset, offset + size);
}

/**
 * A reduction kernel that is exact on empty inputs. tfjs-backend-wasm 4.22's `Sum`, `Mean`, `Prod`, `Max`, `Min`,
 * `Any` and `All` allocate their output and skip the computation when the input has no elements, so a reduction
 * over an empty axis returns whatever the allocator left there: `tf.sum(tf.zeros([0, 3]))` gave 3.6e-41, and every
 * loss of an empty batch ~7e-41 instead of 0. Here the output of an empty input gets the value cpu gives (see
 * `emptyValue`). Inputs with elements go straight to `inner` (the stock kernel or another replacement): the only
 * added work is one scan of the input's shape.
 */
export function makeExactEmptyReduction(kernel: EmptyReductionKernel, inner: KernelFunc): KernelFunc {
  return (args: KernelArgs): tf.TensorInfo => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    if (!x.shape.includes(0)) return inner(args);
    // The inner kernel still computes the output's shape and dtype (keepDims, Mean's float32, …) and allocates it.
    const out = inner(args);
    fillOutput(args.backend, out, emptyValue(kernel, out.dtype));
    return out;
  };
}
