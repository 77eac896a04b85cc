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

/**
 * Kernels whose output is boolean or an index: no gradient flows through them, but tfjs 4.22 registers none, so a
 * comparison anywhere between a variable and the loss (a mask built from D, say) makes `tf.grad` throw. We register
 * the mathematically right gradient: zero for every input.
 */
const BINARY_INPUTS = ['a', 'b'];
const UNARY_INPUT = ['x'];
const ZERO_GRADIENT_INPUTS: Readonly<Record<string, readonly string[]>> = {
  Greater: BINARY_INPUTS,
  GreaterEqual: BINARY_INPUTS,
  Less: BINARY_INPUTS,
  LessEqual: BINARY_INPUTS,
  Equal: BINARY_INPUTS,
  NotEqual: BINARY_INPUTS,
  LogicalAnd: BINARY_INPUTS,
  LogicalOr: BINARY_INPUTS,
  LogicalNot: UNARY_INPUT,
  IsNan: UNARY_INPUT,
  IsInf: UNARY_INPUT,
  IsFinite: UNARY_INPUT,
  ArgMax: UNARY_INPUT,
  ArgMin: UNARY_INPUT,
};
export const ZERO_GRADIENT_KERNELS: readonly string[] = Object.keys(ZERO_GRADIENT_INPUTS);

function registerZeroGradients(): void {
  for (const [kernelName, inputs] of Object.entries(ZERO_GRADIENT_INPUTS)) {
    if (tf.getGradient(kernelName)) continue;
    tf.registerGradient({
      kernelName,
      inputsToSave: [...inputs],
      // tfjs asks for a gradient function per input; each returns float32 zeros of that input's shape.
      gradFunc: (_dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) =>
        Object.fromEntries(inputs.map((name, i) => [name, () => tf.zeros(saved[i]!.shape, 'float32')])),
    });
  }
}

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
  if (missingGradients().length > 0) await import('@tensorflow/tfjs-layers');
  registerZeroGradients();
  assertGradientsRegistered();
}

/** Throws a {@link RuntimeError} naming every required kernel that has no gradient. */
export function assertGradientsRegistered(
  kernelNames: readonly string[] = [...REQUIRED_GRADIENTS, ...ZERO_GRADIENT_KERNELS],
): void {
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
