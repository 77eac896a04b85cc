import type * as tf from '@tensorflow/tfjs-core';
import type { WasmBackendLike } from '../wasm-kernels/kernel-types';

/**
 * The wasm heap as float32 and the element offsets of `tensors` in it, read now. Call it after allocating every
 * output: allocating can grow the wasm memory, which detaches the previous buffer (a view taken before would have
 * length 0, and the addon would refuse it). Never keep the result across an allocation.
 */
export function heapOffsets(
  backend: WasmBackendLike,
  tensors: readonly tf.TensorInfo[],
): { heap: Float32Array; offsets: number[] } {
  const offsets = tensors.map((t) => backend.dataIdMap.get(t.dataId)!.memoryOffset / 4);
  return { heap: backend.wasm.HEAPF32, offsets };
}
