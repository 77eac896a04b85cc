import * as tf from '@tensorflow/tfjs-core';
import { RuntimeError } from './runtime-error';

/**
 * Kernels whose gradients the project's packages rely on (tfjs kernel names, which are not always the op names:
 * `matMul` runs `BatchMatMul`, `mul` runs `Multiply`, `pad` runs `PadV2`; `tf.fused.matMul` differentiates
 * through a custom gradient, not a registered one).
 */
export const REQUIRED_GRADIENTS: readonly string[] = [
  'Abs',
  'Add',
  'AddN',
  'AvgPool',
  'BatchMatMul',
  'BroadcastTo',
  'Cast',
  'ClipByValue',
  'Concat',
  'Conv2D',
  'Cos',
  'Cumsum',
  'Elu',
  'Exp',
  'Expm1',
  'GatherV2',
  'Identity',
  'LeakyRelu',
  'Log',
  'Log1p',
  'LogSoftmax',
  'Max',
  'MaxPool',
  'Maximum',
  'Mean',
  'Min',
  'Minimum',
  'MirrorPad',
  'Multiply',
  'Neg',
  'OneHot',
  'Pack',
  'PadV2',
  'Pow',
  'Prelu',
  'Prod',
  'RealDiv',
  'Reciprocal',
  'Relu',
  'Relu6',
  'Reshape',
  'Rsqrt',
  'Select',
  'Selu',
  'Sigmoid',
  'Sign',
  'Slice',
  'Softmax',
  'Softplus',
  'SplitV',
  'Sqrt',
  'Square',
  'SquaredDifference',
  'Step',
  'Sub',
  'Sum',
  'Tanh',
  'Tile',
  'Transpose',
  'Unpack',
];

/** Kernels among `kernelNames` that have no gradient registered. */
export function missingGradients(kernelNames: readonly string[] = REQUIRED_GRADIENTS): string[] {
  return kernelNames.filter((name) => tf.getGradient(name) === undefined);
}

/**
 * Registers tfjs's gradient functions. `@tensorflow/tfjs-core` alone registers none (measured: `variableGrads`
 * throws "gradient function not found for Mean"); `@tensorflow/tfjs-layers` registers all of core's when it loads
 * (an ESM import of core's `register_all_gradients` does not resolve in Node), so we load it for that side effect.
 */
export async function ensureGradientsRegistered(): Promise<void> {
  if (missingGradients().length === 0) return;
  await import('@tensorflow/tfjs-layers');
  assertGradientsRegistered();
}

/** Throws a {@link RuntimeError} naming every required kernel that has no gradient. */
export function assertGradientsRegistered(kernelNames: readonly string[] = REQUIRED_GRADIENTS): void {
  const missing = missingGradients(kernelNames);
  if (missing.length > 0) {
    throw new RuntimeError(
      'assertGradientsRegistered',
      'UNAVAILABLE',
      `expected gradients for every kernel the project differentiates, got none for ${missing.join(', ')} ` +
        '(call initBackend() from @empirical-bregman/runtime before training)',
    );
  }
}
