import type * as tf from '@tensorflow/tfjs-core';
import { KernelScope, swapLastTwo } from './kernel-calls';
import type { KernelArgs, KernelFunc } from './kernel-types';

const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/**
 * How to compute op(A)·op(B) from flag-free products, moving the fewest values through `Transpose`:
 * - `'operands'`: transpose the flagged operands, then A'·B';
 * - `'result'`: (op(B)ᵀ·op(A)ᵀ)ᵀ: a flagged operand's transpose is the stored tensor itself, an unflagged one is
 *   transposed, and the product is transposed back.
 * E.g. dDᵀ·X with dD 1024 × 1024 and X 1024 × 128 (the backward pass of a pairwise matrix) moves 1M values the
 * first way and 2 × 131k the second. Exported for tests.
 */
export function transposePlan(
  aShape: readonly number[],
  bShape: readonly number[],
  transposeA: boolean,
  transposeB: boolean,
): 'operands' | 'result' {
  const ra = aShape.length;
  const rb = bShape.length;
  const m = transposeA ? aShape[ra - 1]! : aShape[ra - 2]!;
  const n = transposeB ? bShape[rb - 2]! : bShape[rb - 1]!;
  const batch = Math.max(size(aShape.slice(0, -2)), size(bShape.slice(0, -2)));
  const viaOperands = (transposeA ? size(aShape) : 0) + (transposeB ? size(bShape) : 0);
  const viaResult = (transposeA ? 0 : size(aShape)) + (transposeB ? 0 : size(bShape)) + batch * m * n;
  return viaResult < viaOperands ? 'result' : 'operands';
}

/**
 * `BatchMatMul` / `_FusedMatMul` with `transposeA`/`transposeB` for the wasm backend: explicit `Transpose`s, then
 * the stock kernel without flags. Measured on tfjs-wasm 4.22 in Node, the stock kernel with a transpose flag is
 * 10–66× slower than without (XNNPACK is only used for the plain layout), and every backward pass of a dense layer
 * sets one of the flags. Which values get transposed is chosen by `transposePlan` (the stock `Transpose` is itself
 * slow on large power-of-two matrices: 41 ms for 1024 × 1024 float32, against ~1 ms for 1024 × 128). A fused
 * product with a bias or an activation always transposes its operands (the epilogue needs the plain result).
 */
export function makeTransposingMatMul(stock: KernelFunc): KernelFunc {
  return (args: KernelArgs): tf.TensorInfo => {
    const { transposeA, transposeB, activation } = args.attrs as {
      transposeA?: boolean;
      transposeB?: boolean;
      activation?: string;
    };
    if (!transposeA && !transposeB) return stock(args);
    const scope = new KernelScope(args.backend);
    try {
      const { a, b, bias, preluActivationWeights } = args.inputs as Record<string, tf.TensorInfo | undefined>;
      const plain = !bias && !preluActivationWeights && (activation === undefined || activation === 'linear');
      if (plain && transposePlan(a!.shape, b!.shape, !!transposeA, !!transposeB) === 'result') {
        const bT = transposeB ? b! : scope.transpose(b!, swapLastTwo(b!.shape.length));
        const aT = transposeA ? a! : scope.transpose(a!, swapLastTwo(a!.shape.length));
        const product = stock({
          inputs: { ...args.inputs, a: bT, b: aT },
          backend: args.backend,
          attrs: { ...args.attrs, transposeA: false, transposeB: false },
        });
        scope.adopt(product);
        return scope.keep(scope.transpose(product, swapLastTwo(product.shape.length)));
      }
      const aOp = transposeA ? scope.transpose(a!, swapLastTwo(a!.shape.length)) : a!;
      const bOp = transposeB ? scope.transpose(b!, swapLastTwo(b!.shape.length)) : b!;
      return stock({
        inputs: { ...args.inputs, a: aOp, b: bOp },
        backend: args.backend,
        attrs: { ...args.attrs, transposeA: false, transposeB: false },
      });
    } finally {
      scope.dispose();
    }
  };
}
