import * as tf from '@tensorflow/tfjs-core';

/**
 * A float32 tensor's values read in place when the active backend keeps tensors in one memory it can view
 * (tfjs-backend-wasm's public `typedArrayFromHeap`), else null: the caller then copies with `data()` or
 * `dataSync()`. Why: reading a 1024 × 4096 block back allocates 16 MB of fresh memory each time, and the page faults
 * cost more than the block's matMul (measured on wasm: ~50 ms against ~32 ms); a data-parallel step that copied every
 * gradient out paid as much again as writing it to shared memory. Duck-typed, so no caller depends on a backend.
 *
 * The view aliases the backend's heap: it is valid only until the next allocation on that backend (the heap may
 * grow and move), and writing to it changes the tensor. Read it at once, synchronously, and never keep it.
 *
 * ```ts
 * const values = heapView(block) ?? ((await block.data()) as Float32Array);
 * scan(values); // before any other tensor op
 * block.dispose();
 * ```
 *
 * @param t any tensor (not disposed); null unless it is float32 on a backend with a heap view.
 */
export function heapView(t: tf.Tensor): Float32Array | null {
  if (t.dtype !== 'float32') return null;
  const backend = tf.backend() as unknown as { typedArrayFromHeap?: (info: tf.TensorInfo) => unknown };
  if (typeof backend.typedArrayFromHeap !== 'function') return null;
  const view = backend.typedArrayFromHeap(t);
  return view instanceof Float32Array && view.length === t.size ? view : null;
}
