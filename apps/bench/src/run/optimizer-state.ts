import { optimizerRunningScalars } from '@empirical-bregman/runtime';
import * as tf from '@tensorflow/tfjs-core';
import type { StoredArray } from './checkpoint-file';

type GradientList = Extract<Parameters<tf.Optimizer['applyGradients']>[0], unknown[]>;
type NamedTensorLike = GradientList[number];

/**
 * An optimiser's state as checkpoint arrays named `<label>/<i>/<weight name>` (its getWeights(), in order) and
 * `<label>-bias/<key>` (Adam's bias-correction products).
 */
export async function optimizerArrays(label: string, optimizer: tf.Optimizer): Promise<StoredArray[]> {
  const arrays: StoredArray[] = [];
  for (const [i, w] of (await optimizer.getWeights()).entries()) {
    arrays.push({
      name: `${label}/${i}/${w.name}`,
      shape: w.tensor.shape,
      values: Float32Array.from(await w.tensor.data()),
    });
    // getWeights() makes a fresh scalar for the iteration count (the moments are the optimiser's own variables).
    if (!(w.tensor instanceof tf.Variable)) w.tensor.dispose();
  }
  for (const [key, v] of Object.entries(optimizerRunningScalars(optimizer)))
    arrays.push({ name: `${label}-bias/${key}`, shape: v.shape, values: Float32Array.from(await v.data()) });
  return arrays;
}

/** Puts back what {@link optimizerArrays} saved under `label` (nothing saved: the optimiser is left as it is). */
export async function restoreOptimizer(
  label: string,
  optimizer: tf.Optimizer,
  arrays: ReadonlyMap<string, StoredArray>,
): Promise<void> {
  const named: NamedTensorLike[] = [];
  for (const [key, a] of arrays) {
    if (!key.startsWith(`${label}/`)) continue;
    const [, index, ...nameParts] = key.split('/');
    named[Number(index)] = { name: nameParts.join('/'), tensor: tf.tensor(a.values, a.shape) };
  }
  if (named.length > 0) {
    await optimizer.setWeights(named);
    tf.dispose(named.map((n) => n.tensor));
  }
  // After setWeights, Adam recomputes β^(t+1) with pow(); the uninterrupted run has it as a running product,
  // which differs in the last float32 bits. Restore the saved products so a resumed run is bit-identical.
  for (const [key, v] of Object.entries(optimizerRunningScalars(optimizer))) {
    const saved = arrays.get(`${label}-bias/${key}`);
    if (saved) tf.tidy(() => v.assign(tf.tensor(saved.values, saved.shape)));
  }
}
