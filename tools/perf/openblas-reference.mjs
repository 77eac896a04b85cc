// OpenBLAS's own sgemm on an n × n × n product, called straight through the native-blas addon on a Float32Array of
// its own (no tfjs, no wasm heap): the ceiling issue 23 judges tfjs's matMul with the native kernels against.
import { SeededRandom } from '@empirical-bregman/common';

// A variable, not a literal: the addon is an optional dependency, and the bench runs without it.
const NATIVE_BLAS = '@empirical-bregman/native-blas';

/**
 * `{ run }` multiplying two n × n normal matrices into a third with the addon's gemmBatch (OpenBLAS's threads as the
 * addon set them for this thread, the same the native kernels use), or `{ error }` saying why it cannot.
 */
export async function openblasSquareMatMul(n) {
  let pkg;
  try {
    pkg = await import(NATIVE_BLAS);
  } catch (error) {
    return {
      error: `${NATIVE_BLAS} does not import: ${error instanceof Error ? error.message.split('\n')[0] : error}`,
    };
  }
  const loaded = pkg.loadNativeBlas();
  if (!loaded.ok) return { error: loaded.reason };
  const size = n * n;
  const heap = new Float32Array(3 * size);
  heap.set(new SeededRandom(4).normalArray(2 * size));
  const offsets = Int32Array.from([0, size, 2 * size]);
  return { run: () => loaded.blas.gemmBatch(heap, offsets, n, n, n, false, false) };
}
