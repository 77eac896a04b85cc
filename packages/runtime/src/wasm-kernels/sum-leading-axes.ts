import type * as tf from '@tensorflow/tfjs-core';
import { KernelScope } from './kernel-calls';
import type { KernelArgs, KernelFunc } from './kernel-types';

/** Axes as non-negative, sorted, distinct numbers. */
function normalizeAxes(axis: number | number[] | undefined, rank: number): number[] {
  const list = axis === undefined ? Array.from({ length: rank }, (_, i) => i) : Array.isArray(axis) ? axis : [axis];
  return [...new Set(list.map((a) => (a < 0 ? a + rank : a)))].sort((a, b) => a - b);
}

/**
 * `Sum` over leading axes for the wasm backend, as one matMul: for x viewed as [P, Q] (P = product of the summed
 * leading axes), Σ_p x[p, q] = (1ᵀ·x)[q]. The stock kernel transposes the summed axes to the end first, and on
 * tfjs-wasm 4.22 that transpose costs 10–40× the sum itself (measured: Σ over axis 0 of 1024 × 1024 float32 takes
 * ~20× longer than over axis 1). Every bias gradient and every broadcast in a backward pass reduces over leading
 * axes. Sums over trailing or mixed axes, and non-float32 data, go to the stock kernel.
 */
export function makeLeadingAxesSum(stock: KernelFunc): KernelFunc {
  return (args: KernelArgs): tf.TensorInfo => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    const rank = x.shape.length;
    const axes = normalizeAxes(args.attrs.axis as number | number[] | undefined, rank);
    const leading = axes.length > 0 && axes.length < rank && axes.every((a, i) => a === i);
    if (x.dtype !== 'float32' || !leading || x.shape.some((d) => d === 0)) return stock(args);
    const p = x.shape.slice(0, axes.length).reduce((a, b) => a * b, 1);
    const rest = x.shape.slice(axes.length);
    const q = rest.reduce((a, b) => a * b, 1);
    if (p === 1) return stock(args);
    const backend = args.backend;
    const scope = new KernelScope(backend);
    try {
      const ones = backend.makeOutput([1, 1, p], 'float32');
      scope.adopt(ones);
      const offset = backend.dataIdMap.get(ones.dataId)!.memoryOffset / 4;
      backend.wasm.HEAPF32.fill(1, offset, offset + p);
      const product = scope.run(
        'BatchMatMul',
        { a: ones, b: scope.reshape(x, [1, p, q]) },
        { transposeA: false, transposeB: false },
      );
      const keepDims = args.attrs.keepDims === true;
      return scope.keep(scope.reshape(product, keepDims ? [...axes.map(() => 1), ...rest] : rest));
    } finally {
      scope.dispose();
    }
  };
}
