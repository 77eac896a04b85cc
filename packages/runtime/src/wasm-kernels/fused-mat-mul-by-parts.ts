import type * as tf from '@tensorflow/tfjs-core';
import { KernelScope } from './kernel-calls';
import type { KernelArgs, KernelFunc } from './kernel-types';

const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** A rank-1 tensor of n values: what the stock kernel's bias and PReLU weights must be. */
const perColumn = (t: tf.TensorInfo | undefined, n: number) => !t || (t.shape.length === 1 && t.shape[0] === n);

/**
 * `_FusedMatMul` that is right for batched products and for biases other than one value per column. Measured on
 * tfjs-backend-wasm 4.22 against the float64 product: with a batch of 2 or more the stock kernel's result is wrong
 * (max error 2.8 for [2, 4, 3]·[2, 3, 5] plus a bias of 5), and so is a bias of shape [1] (2.1); a bias over rows and
 * columns it refuses. Those cases run here as their parts, on the kernels registered now: `BatchMatMul`, then `Add`
 * of the bias (broadcast), then the activation's own kernel. Everything else (one product, a bias and PReLU weights
 * of n values) goes to `inner`.
 */
export function makeFusedMatMulByParts(inner: KernelFunc): KernelFunc {
  return (args: KernelArgs): tf.TensorInfo => {
    const { a, b, bias, preluActivationWeights: prelu } = args.inputs as Record<string, tf.TensorInfo | undefined>;
    const { transposeA, transposeB } = args.attrs as { transposeA?: boolean; transposeB?: boolean };
    const activation = (args.attrs.activation as string | undefined) ?? 'linear';
    const n = transposeB ? b!.shape[b!.shape.length - 2]! : b!.shape[b!.shape.length - 1]!;
    const batch = Math.max(size(a!.shape.slice(0, -2)), size(b!.shape.slice(0, -2)));
    if (batch <= 1 && perColumn(bias, n) && (activation !== 'prelu' || perColumn(prelu, n))) return inner(args);
    const scope = new KernelScope(args.backend);
    try {
      let y = scope.run('BatchMatMul', { a: a!, b: b! }, { transposeA: !!transposeA, transposeB: !!transposeB });
      if (bias) y = scope.run('Add', { a: y, b: bias });
      switch (activation) {
        case 'relu':
          y = scope.run('Relu', { x: y });
          break;
        case 'relu6':
          y = scope.run('Relu6', { x: y });
          break;
        case 'sigmoid':
          y = scope.run('Sigmoid', { x: y });
          break;
        case 'leakyrelu':
          y = scope.run('LeakyRelu', { x: y }, { alpha: (args.attrs.leakyreluAlpha as number | undefined) ?? 0 });
          break;
        case 'prelu':
          y = scope.run('Prelu', { x: y, alpha: prelu! });
          break;
        case 'elu':
          y = scope.run('Elu', { x: y });
          break;
        default:
          break;
      }
      return scope.keep(y);
    } finally {
      scope.dispose();
    }
  };
}
