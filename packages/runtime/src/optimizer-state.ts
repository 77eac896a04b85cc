import type { NamedArray } from '@empirical-bregman/common';
import * as tf from '@tensorflow/tfjs-core';

/**
 * @deprecated Use `NamedArray` from `@empirical-bregman/common` (the same data: one tensor of an optimizer's state,
 * e.g. Adam's moments, or its int32 iteration count).
 */
export type OptimizerWeightValues = NamedArray;

/** An optimizer's whole state as plain data: what a checkpoint must hold to resume bit-identically. */
export interface OptimizerStateValues {
  /** Its `getWeights()`, in order, as named arrays (the iteration count is int32, the rest float32). */
  readonly weights: NamedArray[];
  /**
   * Running scalars that `getWeights()` leaves out: Adam's bias-correction products β₁ᵗ and β₂ᵗ. `setWeights()`
   * recomputes them as pow(β, t), which differs from the running product in the last float32 bits, so without them a
   * resumed run drifts from the original.
   */
  readonly scalars: { readonly name: string; readonly value: number }[];
}

/** Adam's running bias-correction products (tfjs 4.22 `accBeta1` / `accBeta2`); empty for other optimizers. */
function runningScalars(optimizer: tf.Optimizer): Record<string, tf.Variable> {
  const out: Record<string, tf.Variable> = {};
  for (const key of ['accBeta1', 'accBeta2']) {
    const v = (optimizer as unknown as Record<string, unknown>)[key];
    if (v instanceof tf.Variable) out[key] = v;
  }
  return out;
}

/** Reads `optimizer`'s state (its weights and running scalars) into plain arrays. */
export async function readOptimizerState(optimizer: tf.Optimizer): Promise<OptimizerStateValues> {
  const weights = await optimizer.getWeights();
  try {
    return {
      weights: weights.map(({ name, tensor }): NamedArray => {
        const shape = [...tensor.shape];
        return tensor.dtype === 'int32'
          ? { name, shape, dtype: 'int32', values: Int32Array.from(tensor.dataSync()) }
          : { name, shape, dtype: 'float32', values: Float32Array.from(tensor.dataSync()) };
      }),
      scalars: Object.entries(runningScalars(optimizer)).map(([name, v]) => ({ name, value: v.dataSync()[0]! })),
    };
  } finally {
    // getWeights makes some tensors for the occasion (Adam's iteration count); the optimizer's own variables stay.
    for (const { tensor } of weights) if (!(tensor instanceof tf.Variable)) tensor.dispose();
  }
}

/**
 * Puts `state` (from `readOptimizerState`) into `optimizer`, which must update the same variables in the same order:
 * the steps that follow are bit-identical to the ones the saved optimizer would have taken. An empty state (an
 * optimizer that never stepped) leaves it as it is.
 */
export async function loadOptimizerState(optimizer: tf.Optimizer, state: OptimizerStateValues): Promise<void> {
  if (state.weights.length === 0) return;
  // The optimizer's current state is replaced, not disposed, by setWeights: free it here.
  const previous = await optimizer.getWeights();
  const incoming = state.weights.map(({ name, shape, dtype, values }) => ({
    name,
    tensor: tf.tensor(values, shape, dtype ?? 'float32'),
  }));
  try {
    await optimizer.setWeights(incoming);
  } catch (error) {
    // Still the optimizer's state: free only what getWeights made for the occasion (the iteration count).
    for (const { tensor } of previous) if (!(tensor instanceof tf.Variable)) tensor.dispose();
    throw error;
  } finally {
    // setWeights keeps its own variables made from these (sharing their data), so the tensors can go.
    tf.dispose(incoming.map((w) => w.tensor));
  }
  tf.dispose(previous.map((w) => w.tensor));
  const scalars = runningScalars(optimizer);
  tf.tidy(() => {
    for (const { name, value } of state.scalars) scalars[name]?.assign(tf.scalar(value));
  });
}
