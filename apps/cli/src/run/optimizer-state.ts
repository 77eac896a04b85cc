import { type OptimizerStateValues, loadOptimizerState, readOptimizerState } from '@empirical-bregman/runtime';
import type * as tf from '@tensorflow/tfjs-core';
import type { NamedArray } from '@empirical-bregman/common';

// An optimiser's state in a checkpoint: arrays named `<label>/<i>/<weight name>` (its getWeights(), in order) and
// `<label>-bias/<key>` (Adam's bias-correction products). The runtime reads and loads the state itself; this file
// only names it, for the in-thread optimisers and for the data-parallel replicas' alike.

/** A state (runtime's `readOptimizerState`, or a data-parallel replica's) as checkpoint arrays under `label`. */
export function stateArrays(label: string, state: OptimizerStateValues): NamedArray<'float32'>[] {
  return [
    ...state.weights.map((w, i) => ({
      name: `${label}/${i}/${w.name}`,
      shape: w.shape,
      values: Float32Array.from(w.values),
    })),
    ...state.scalars.map(({ name, value }) => ({
      name: `${label}-bias/${name}`,
      shape: [],
      values: Float32Array.of(value),
    })),
  ];
}

/** What {@link stateArrays} saved under `label` (empty weights when nothing was saved). */
export function stateFromArrays(
  label: string,
  arrays: ReadonlyMap<string, NamedArray<'float32'>>,
): OptimizerStateValues {
  const weights: OptimizerStateValues['weights'] = [];
  const scalars: OptimizerStateValues['scalars'] = [];
  for (const [key, a] of arrays) {
    if (key.startsWith(`${label}/`)) {
      const [, index, ...nameParts] = key.split('/');
      const name = nameParts.join('/');
      // The iteration count is an int32 scalar in tfjs; checkpoints store every array as float32.
      weights[Number(index)] =
        name === 'iter'
          ? { name, shape: a.shape, dtype: 'int32', values: Int32Array.from(a.values) }
          : { name, shape: a.shape, dtype: 'float32', values: a.values };
    } else if (key.startsWith(`${label}-bias/`)) {
      scalars.push({ name: key.slice(`${label}-bias/`.length), value: a.values[0]! });
    }
  }
  return { weights, scalars };
}

/** An optimiser's state as checkpoint arrays under `label`. */
export async function optimizerArrays(label: string, optimizer: tf.Optimizer): Promise<NamedArray<'float32'>[]> {
  return stateArrays(label, await readOptimizerState(optimizer));
}

/** Puts back what {@link optimizerArrays} saved under `label` (nothing saved: the optimiser is left as it is). */
export async function restoreOptimizer(
  label: string,
  optimizer: tf.Optimizer,
  arrays: ReadonlyMap<string, NamedArray<'float32'>>,
): Promise<void> {
  await loadOptimizerState(optimizer, stateFromArrays(label, arrays));
}
