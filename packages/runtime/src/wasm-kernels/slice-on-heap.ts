import * as tf from '@tensorflow/tfjs-core';
import type { KernelArgs, KernelFunc, WasmBackendLike } from './kernel-types';

type HeapView = Float32Array | Int32Array | Uint8Array;

/** The heap as the typed array of `dtype` (4-byte float/int, 1-byte bool), or null for other dtypes. */
export function heapOf(backend: WasmBackendLike, dtype: tf.DataType): { heap: HeapView; bytes: number } | null {
  if (dtype === 'float32') return { heap: backend.wasm.HEAPF32, bytes: 4 };
  if (dtype === 'int32') return { heap: backend.wasm.HEAP32, bytes: 4 };
  if (dtype === 'bool') return { heap: backend.wasm.HEAPU8, bytes: 1 };
  return null;
}

/**
 * `Slice` for the wasm backend that copies only the slice. The stock kernel first reads the *whole* input back from
 * the heap (`readSync`, a full copy) on every call: measured here, 4,096 rows out of a [100k, 128] float32 tensor cost
 * ~220 ms, so blockwise loops over a large tensor (exact k-NN, chunked φ reductions, ANN index builds) grew faster
 * than linearly. Here the slice is copied heap-to-heap in contiguous runs of its innermost axes. Other dtypes
 * (strings, complex) go to the stock kernel.
 */
export function makeHeapSlice(stock: KernelFunc): KernelFunc {
  return (args: KernelArgs): tf.TensorInfo => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    const backend = args.backend;
    const view = heapOf(backend, x.dtype);
    if (!view) return stock(args);
    const [begin, size] = tf.slice_util.parseSliceParams(
      x,
      args.attrs.begin as number | number[],
      args.attrs.size as number | number[] | undefined,
    );
    const out = backend.makeOutput(size, x.dtype);
    const total = size.reduce((a, v) => a * v, 1);
    if (total === 0) return out;
    // Views after makeOutput: allocating may grow (and so replace) the heap buffer.
    const { heap, bytes } = heapOf(backend, x.dtype)!;
    const from = backend.dataIdMap.get(x.dataId)!.memoryOffset / bytes;
    const to = backend.dataIdMap.get(out.dataId)!.memoryOffset / bytes;
    const rank = x.shape.length;
    const strides = new Array<number>(rank);
    let stride = 1;
    for (let i = rank - 1; i >= 0; i--) {
      strides[i] = stride;
      stride *= x.shape[i]!;
    }
    // The innermost axes the slice covers in full, plus the first partial one, form contiguous runs.
    let inner = rank - 1;
    while (inner > 0 && size[inner] === x.shape[inner] && begin[inner] === 0) inner--;
    const run = size.slice(inner).reduce((a, v) => a * v, 1);
    const runs = total / run;
    const index = new Array<number>(inner).fill(0);
    let written = 0;
    for (let r = 0; r < runs; r++) {
      let offset = begin[inner]! * strides[inner]!;
      for (let i = 0; i < inner; i++) offset += (begin[i]! + index[i]!) * strides[i]!;
      heap.copyWithin(to + written, from + offset, from + offset + run);
      written += run;
      for (let i = inner - 1; i >= 0; i--) {
        if (++index[i]! < size[i]!) break;
        index[i] = 0;
      }
    }
    return out;
  };
}
