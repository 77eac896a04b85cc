import type * as tf from '@tensorflow/tfjs-core';
import { RuntimeError } from '../runtime-error';
import { KernelScope } from './kernel-calls';
import type { KernelArgs, KernelFunc } from './kernel-types';

/**
 * `UnsortedSegmentSum` for the wasm backend, which has none (so no gradient flows through `tf.gather`, whose
 * gradient is a segment sum). out[s, …] = Σ_{i: ids[i] = s} x[i, …], computed as wasm's `ScatterNd`, which adds
 * rows that share an index: a real scatter-add in wasm memory, O(size of x), where a one-hot matMul would need
 * ids × segments memory (over 1.5 GB for batch-all triplets at batch 256).
 *
 * Segment ids are checked on the heap first (no copy): tfjs semantics drop negative ids; an id ≥ numSegments is an
 * error, since ScatterNd would write outside the output.
 */
export const unsortedSegmentSum: KernelFunc = (args: KernelArgs): tf.TensorInfo => {
  const { x, segmentIds } = args.inputs as { x: tf.TensorInfo; segmentIds: tf.TensorInfo };
  const numSegments = args.attrs.numSegments as number;
  const idShape = segmentIds.shape;
  const rows = idShape.reduce((a, b) => a * b, 1);
  const leading = x.shape.slice(0, idShape.length);
  if (leading.some((d, i) => d !== idShape[i])) {
    throw new RuntimeError(
      'UnsortedSegmentSum (wasm)',
      'INVALID_SHAPE',
      `expected segmentIds of shape [${leading.join(', ')}] (a prefix of x's shape), got [${idShape.join(', ')}]`,
    );
  }
  const sliceShape = x.shape.slice(idShape.length);
  const backend = args.backend;
  if (segmentIds.dtype !== 'int32') {
    throw new RuntimeError(
      'UnsortedSegmentSum (wasm)',
      'INVALID_ARGUMENT',
      `expected int32 segmentIds, got ${segmentIds.dtype}`,
    );
  }
  const stored = backend.dataIdMap.get(segmentIds.dataId);
  if (!stored)
    throw new RuntimeError('UnsortedSegmentSum (wasm)', 'UNAVAILABLE', 'expected segmentIds on the wasm heap');
  const ids = backend.wasm.HEAP32.subarray(stored.memoryOffset / 4, stored.memoryOffset / 4 + rows);
  let dropped = false;
  for (let i = 0; i < rows; i++) {
    const id = ids[i] as number;
    if (id >= numSegments) {
      throw new RuntimeError(
        'UnsortedSegmentSum (wasm)',
        'INVALID_ARGUMENT',
        `expected segment ids below numSegments = ${numSegments}, got ${id} at position ${i}`,
      );
    }
    if (id < 0) dropped = true;
  }
  if (dropped) {
    throw new RuntimeError(
      'UnsortedSegmentSum (wasm)',
      'UNSUPPORTED',
      'expected non-negative segment ids (negative ids, which tfjs drops, are not implemented on wasm)',
    );
  }
  const scope = new KernelScope(backend);
  try {
    const indices = scope.reshape(segmentIds, [rows, 1]);
    const updates = scope.reshape(x, [rows, ...sliceShape]);
    return scope.keep(scope.run('ScatterNd', { indices, updates }, { shape: [numSegments, ...sliceShape] }));
  } finally {
    scope.dispose();
  }
};
