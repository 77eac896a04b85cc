import type * as tf from '@tensorflow/tfjs-core';
import { KernelScope } from './kernel-calls';
import type { KernelArgs, KernelFunc } from './kernel-types';

/**
 * `BatchMatMul` / `_FusedMatMul` that is exact when the shared (inner) dimension K is 0. Each element of A·B is a sum
 * over K, so with K = 0 it is 0 (plus the bias, through the activation, for the fused kernel), as on cpu. The stock
 * 2-D wasm kernel leaves the output unwritten then (it returned leftover heap values such as 3.6e-41), and so did
 * the transposing replacement. Here A and B are replaced by zero operands with K = 1 in the same layout: their
 * product is exactly 0, and the kernel still applies the bias and activation. Other shapes go straight to `inner`.
 */
export function makeEmptyInnerMatMul(inner: KernelFunc): KernelFunc {
  return (args: KernelArgs): tf.TensorInfo => {
    const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    const { transposeA, transposeB } = args.attrs as { transposeA?: boolean; transposeB?: boolean };
    const kAxisA = transposeA ? a.shape.length - 2 : a.shape.length - 1;
    if (a.shape[kAxisA] !== 0) return inner(args);
    const kAxisB = transposeB ? b.shape.length - 1 : b.shape.length - 2;
    const scope = new KernelScope(args.backend);
    try {
      const zerosLike = (t: tf.TensorInfo, kAxis: number): tf.TensorInfo => {
        const shape = t.shape.map((d, i) => (i === kAxis ? 1 : d));
        const z = scope.adopt(args.backend.makeOutput(shape, t.dtype));
        const size = shape.reduce((p, d) => p * d, 1);
        const offset = args.backend.dataIdMap.get(z.dataId)!.memoryOffset;
        // Zero bytes: 0 in float32 and int32 alike.
        args.backend.wasm.HEAPU8.fill(0, offset, offset + 4 * size);
        return z;
      };
      return inner({ ...args, inputs: { ...args.inputs, a: zerosLike(a, kAxisA), b: zerosLike(b, kAxisB) } });
    } finally {
      scope.dispose();
    }
  };
}
