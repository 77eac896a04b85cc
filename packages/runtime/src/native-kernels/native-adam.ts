import * as tf from '@tensorflow/tfjs-core';
import type { WasmBackendLike } from '../wasm-kernels/kernel-types';
import { heapOffsets } from './heap-offsets';
import { countNativeCall } from './native-kernel-calls';
import type { NativeBlasBinding } from './native-blas-binding';

/**
 * The wasm kernel of one fused Adam step (inputs x, m, v, g, accBeta1, accBeta2; outputs x′, m′, v′), which
 * `tf.AdamOptimizer`'s `applyGradients` runs per variable while the native kernels are on. Named in tf.profile.
 */
export const NATIVE_ADAM_KERNEL = 'NativeAdamUpdate';

/**
 * What `applyGradients` reads and writes of a tfjs 4.22 `AdamOptimizer`: tfjs declares these private or protected,
 * and the fused step must keep them exactly as tfjs's own step does (its `getWeights`/`setWeights` checkpoints and
 * runtime's `readOptimizerState` read them).
 */
interface AdamInternals {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  accumulatedFirstMoment: ({ originalName: string; variable: tf.Variable } | undefined)[];
  accumulatedSecondMoment: ({ originalName: string; variable: tf.Variable } | undefined)[];
  incrementIterations(): void;
}

// tfjs-core does not export its NamedTensor type; this is its shape.
type VariableGradients = tf.NamedTensorMap | { name: string; tensor: tf.Tensor }[];
type ApplyGradients = (this: tf.AdamOptimizer, variableGradients: VariableGradients) => void;

let binding: NativeBlasBinding | null = null;

/**
 * Where tfjs's own `applyGradients` is kept, on the prototype itself under a global symbol: one process can hold two
 * copies of this module (its ESM and CJS builds; vitest's per-file module graphs) over one tfjs-core, and a copy that
 * saved another copy's fused function as "stock" would never give tfjs's back.
 */
const STOCK = Symbol.for('@empirical-bregman/runtime: tfjs AdamOptimizer.prototype.applyGradients');
type AdamPrototype = { applyGradients: ApplyGradients; [STOCK]?: ApplyGradients };
const adamPrototype = () => tf.AdamOptimizer.prototype as unknown as AdamPrototype;

const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/**
 * `NATIVE_ADAM_KERNEL`: the addon's `adamUpdate` on the wasm heap, into three new outputs. Not in place: a variable's
 * data may be shared (tf.clone, tf.variable(t) and Identity share it on wasm), and writing over it would change every
 * tensor that shares it; `Variable.assign` then swaps the data as tfjs's own step does.
 */
function nativeAdamUpdate(args: {
  inputs: Record<string, tf.TensorInfo>;
  backend: WasmBackendLike;
  attrs: Record<string, unknown>;
}): tf.TensorInfo[] {
  const { x, m, v, g, accBeta1, accBeta2 } = args.inputs as Record<string, tf.TensorInfo>;
  const { beta1, beta2, epsilon, learningRate } = args.attrs as Record<string, number>;
  const outputs = [x!, m!, v!].map((t) => args.backend.makeOutput([...t.shape], 'float32'));
  // After makeOutput: it may have grown the heap (see heapOffsets).
  const { heap, offsets } = heapOffsets(args.backend, [x!, m!, v!, g!, accBeta1!, accBeta2!, ...outputs]);
  // (1 − β) and −lr in double, as tfjs computes them before making float32 scalars of them.
  binding!.blas.adamUpdate(
    heap,
    Int32Array.from(offsets),
    size(x!.shape),
    beta1!,
    1 - beta1!,
    beta2!,
    1 - beta2!,
    epsilon!,
    -learningRate!,
  );
  countNativeCall(NATIVE_ADAM_KERNEL);
  return outputs;
}

/** The fused path takes a variable: float32, its gradient absent or float32 of its shape (no broadcasting). */
function fusable(variable: tf.Variable | undefined, gradient: tf.Tensor | undefined): boolean {
  if (variable?.dtype !== 'float32') return false;
  if (gradient == null) return true;
  return gradient.dtype === 'float32' && tf.util.arraysEqual(gradient.shape, variable.shape);
}

/**
 * tfjs 4.22's `AdamOptimizer.applyGradients` with each variable's update in one native pass instead of about 15
 * kernels (measured on W1, the MLP + ICNN step: Adam took ~19% of the step): the same moments, created at the same
 * moment under the same names, the same running β₁ᵗ and β₂ᵗ and iteration count, and the same float32 arithmetic op
 * by op (see the addon's `adamUpdate`). Anything else (another backend, a gradient that broadcasts, a non-float32
 * variable, an unknown name) goes to tfjs's own, which also throws tfjs's errors.
 */
function fusedApplyGradients(this: tf.AdamOptimizer, variableGradients: VariableGradients): void {
  const stock = adamPrototype()[STOCK]!;
  const list = Array.isArray(variableGradients) ? variableGradients : null;
  const names = list ? list.map((g) => g.name) : Object.keys(variableGradients);
  const gradientOf = (name: string, i: number): tf.Tensor | undefined =>
    list ? list[i]!.tensor : (variableGradients as tf.NamedTensorMap)[name];
  const variables = tf.engine().registeredVariables;
  if (
    binding === null ||
    tf.getBackend() !== 'wasm' ||
    !names.every((name, i) => fusable(variables[name], gradientOf(name, i)))
  ) {
    stock.call(this, variableGradients);
    return;
  }
  const adam = this as unknown as AdamInternals;
  tf.tidy(() => {
    names.forEach((name, i) => {
      const value = variables[name]!;
      // As tfjs: moments are made for every listed variable, also one without a gradient this step.
      adam.accumulatedFirstMoment[i] ??= {
        originalName: `${name}/m`,
        variable: tf.tidy(() => tf.zerosLike(value).variable(false)),
      };
      adam.accumulatedSecondMoment[i] ??= {
        originalName: `${name}/v`,
        variable: tf.tidy(() => tf.zerosLike(value).variable(false)),
      };
      const gradient = gradientOf(name, i);
      if (gradient == null) return;
      const m = adam.accumulatedFirstMoment[i].variable;
      const v = adam.accumulatedSecondMoment[i].variable;
      const [x1, m1, v1] = tf
        .engine()
        .runKernel(
          NATIVE_ADAM_KERNEL,
          { x: value, m, v, g: gradient, accBeta1: adam.accBeta1, accBeta2: adam.accBeta2 },
          { beta1: adam.beta1, beta2: adam.beta2, epsilon: adam.epsilon, learningRate: adam.learningRate },
        ) as tf.Tensor[];
      m.assign(m1!);
      v.assign(v1!);
      value.assign(x1!);
    });
    adam.accBeta1.assign(tf.mul(adam.accBeta1, adam.beta1));
    adam.accBeta2.assign(tf.mul(adam.accBeta2, adam.beta2));
  });
  adam.incrementIterations();
}

/**
 * With a binding, makes every `tf.AdamOptimizer` (`tf.train.adam`, in this thread) step through the fused native
 * update; with null, gives them tfjs's own `applyGradients` back. `applyNativeKernels` calls it with the BLAS kernels.
 * Checkpoints written either way load in the other: the optimizer's state is tfjs's own.
 */
export function setNativeAdam(native: NativeBlasBinding | null): void {
  const prototype = adamPrototype();
  binding = native;
  if (native === null) {
    if (prototype[STOCK]) prototype.applyGradients = prototype[STOCK];
    return;
  }
  // Registered again by whichever copy of this module switches it on last (see STOCK), so its binding is the one used.
  if (tf.getKernel(NATIVE_ADAM_KERNEL, 'wasm')) tf.unregisterKernel(NATIVE_ADAM_KERNEL, 'wasm');
  tf.registerKernel({
    kernelName: NATIVE_ADAM_KERNEL,
    backendName: 'wasm',
    kernelFunc: nativeAdamUpdate as unknown as tf.KernelFunc,
  });
  prototype[STOCK] ??= prototype.applyGradients;
  prototype.applyGradients = fusedApplyGradients;
}
