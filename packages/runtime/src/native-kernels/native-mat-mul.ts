import * as tf from '@tensorflow/tfjs-core';
import { RuntimeError } from '../runtime-error';
import type { KernelArgs, KernelFunc } from '../wasm-kernels/kernel-types';
import { applyEpilogue, type FusedEpilogue, fusedEpilogue } from './fused-epilogue';
import { heapOffsets } from './heap-offsets';
import { countNativeCall } from './native-kernel-calls';
import type { NativeBlasBinding } from './native-blas-binding';

const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** op(A)·op(B) as the addon sees it: m × k times k × n, `batchA`/`batchB` products per operand (1: broadcast). */
export interface ProductShape {
  m: number;
  n: number;
  k: number;
  batchA: number;
  batchB: number;
  outShape: number[];
}

/**
 * The product's sizes, or null when its batch dimensions broadcast other than by repeating one operand whole (e.g.
 * [2, 1] against [1, 3]: tfjs's own kernels do not compute that either). Throws when the inner sizes differ.
 * Exported for tests.
 */
export function productShape(
  kernel: string,
  aShape: readonly number[],
  bShape: readonly number[],
  transposeA: boolean,
  transposeB: boolean,
): ProductShape | null {
  const ra = aShape.length;
  const rb = bShape.length;
  const m = transposeA ? aShape[ra - 1]! : aShape[ra - 2]!;
  const k = transposeA ? aShape[ra - 2]! : aShape[ra - 1]!;
  const kB = transposeB ? bShape[rb - 1]! : bShape[rb - 2]!;
  const n = transposeB ? bShape[rb - 2]! : bShape[rb - 1]!;
  if (k !== kB) {
    throw new RuntimeError(
      `${kernel} (native)`,
      'INVALID_SHAPE',
      `expected equal inner sizes, got [${aShape}] and [${bShape}] with transposeA=${transposeA}, transposeB=${transposeB}`,
    );
  }
  const outerA = aShape.slice(0, -2);
  const outerB = bShape.slice(0, -2);
  const outer = tf.backend_util.assertAndGetBroadcastShape(outerA, outerB);
  const batchA = size(outerA);
  const batchB = size(outerB);
  const batch = Math.max(batchA, batchB);
  if ((batchA !== batch && batchA !== 1) || (batchB !== batch && batchB !== 1) || size(outer) !== batch) return null;
  return { m, n, k, batchA, batchB, outShape: [...outer, m, n] };
}

/**
 * `BatchMatMul` (or, with `fused`, `_FusedMatMul`) by OpenBLAS's sgemm on the wasm heap: one addon call for every
 * product of the batch, transposes passed to sgemm as flags (no copies), then the fused bias and activation in one
 * pass. Measured (issue 23's probe, 2-core AMD EPYC): 1024³ at 93 GFLOP/s on one OpenBLAS thread against 26 for
 * XNNPACK, transposed products 3.7–5× and batches of small products 41× faster than this package's wasm kernels.
 * Non-float32 operands, batches that broadcast otherwise (see `productShape`) and epilogues the addon does not have
 * (`fusedEpilogue`) go to `below`.
 */
export function makeNativeMatMul(native: NativeBlasBinding, below: () => KernelFunc, fused: boolean): KernelFunc {
  const kernel = fused ? '_FusedMatMul' : 'BatchMatMul';
  return (args: KernelArgs): tf.TensorInfo => {
    const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    const transposeA = Boolean(args.attrs.transposeA);
    const transposeB = Boolean(args.attrs.transposeB);
    if (a.dtype !== 'float32' || b.dtype !== 'float32') return below()(args);
    const shape = productShape(kernel, a.shape, b.shape, transposeA, transposeB);
    if (!shape) return below()(args);
    const { m, n, k, batchA, batchB, outShape } = shape;
    let epilogue: FusedEpilogue | null = null;
    if (fused) {
      epilogue = fusedEpilogue(native, args.inputs, args.attrs, n);
      if (!epilogue) return below()(args);
    }
    const out = args.backend.makeOutput(outShape, 'float32');
    const batch = Math.max(batchA, batchB);
    // After makeOutput: it may have grown the heap (see heapOffsets).
    const { heap, offsets } = heapOffsets(args.backend, [
      a,
      b,
      out,
      ...(epilogue?.bias ? [epilogue.bias] : []),
      ...(epilogue?.prelu ? [epilogue.prelu] : []),
    ]);
    const [offA, offB, offC] = offsets as [number, number, number];
    const products = new Int32Array(3 * batch);
    for (let i = 0; i < batch; i++) {
      products[3 * i] = offA + (batchA === 1 ? 0 : i * m * k);
      products[3 * i + 1] = offB + (batchB === 1 ? 0 : i * k * n);
      products[3 * i + 2] = offC + i * m * n;
    }
    native.blas.gemmBatch(heap, products, m, n, k, transposeA, transposeB);
    if (epilogue) {
      const biasOffset = epilogue.bias ? offsets[3]! : -1;
      const preluOffset = epilogue.prelu ? offsets[epilogue.bias ? 4 : 3]! : -1;
      applyEpilogue(native, heap, offC, batch * m * n, n, epilogue, biasOffset, preluOffset);
    }
    countNativeCall(kernel);
    return out;
  };
}
