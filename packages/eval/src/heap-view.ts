import * as tf from '@tensorflow/tfjs-core';

/**
 * A float32 tensor's values read in place when the backend keeps tensors in one memory it can view (tfjs-backend-wasm's
 * public `typedArrayFromHeap`), else null (the caller copies with `data()`). Reading a 1024 × 4096 block back
 * allocates 16 MB of fresh memory each time, and the page faults cost more than the block's matMul (measured here:
 * ~50 ms against ~32 ms). Duck-typed, so this package stays backend-independent. The view is only valid until the
 * next allocation on that heap: it is scanned at once, synchronously.
 */
export function heapView(t: tf.Tensor): Float32Array | null {
  if (t.dtype !== 'float32') return null;
  const backend = tf.backend() as unknown as { typedArrayFromHeap?: (info: tf.TensorInfo) => unknown };
  if (typeof backend.typedArrayFromHeap !== 'function') return null;
  const view = backend.typedArrayFromHeap(t);
  return view instanceof Float32Array && view.length === t.size ? view : null;
}
