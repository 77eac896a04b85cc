import * as tf from '@tensorflow/tfjs-core';

/**
 * An optimizer's running scalars that `getWeights()` leaves out: Adam's bias-correction products β₁ᵗ and β₂ᵗ
 * (tfjs 4.22 keeps them in `accBeta1` / `accBeta2`). `setWeights()` recomputes them as pow(β, t), which differs from
 * the running product in the last float32 bits, so a checkpoint that should resume bit-identically saves these too.
 * Empty for optimizers without them.
 */
export function optimizerRunningScalars(optimizer: tf.Optimizer): Record<string, tf.Variable> {
  const out: Record<string, tf.Variable> = {};
  for (const key of ['accBeta1', 'accBeta2']) {
    const v = (optimizer as unknown as Record<string, unknown>)[key];
    if (v instanceof tf.Variable) out[key] = v;
  }
  return out;
}
