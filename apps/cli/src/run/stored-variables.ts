import * as tf from '@tensorflow/tfjs-core';
import { CliError } from '../cli-error';
import type { NamedArray } from '@empirical-bregman/common';

/** Variables as checkpoint arrays named `<prefix>/<i>` (their order is the model's, the same on every build). */
export function variableArrays(prefix: string, variables: readonly tf.Variable[]): NamedArray<'float32'>[] {
  return variables.map((v, i) => ({ name: `${prefix}/${i}`, shape: v.shape, values: v.dataSync() as Float32Array }));
}

/** The array `name` of a checkpoint, checked against the shape the model expects. */
export function takeArray(
  arrays: ReadonlyMap<string, NamedArray<'float32'>>,
  name: string,
  expectedShape: readonly number[],
): NamedArray<'float32'> {
  const a = arrays.get(name);
  if (!a || a.shape.join(',') !== expectedShape.join(',')) {
    throw new CliError(
      'checkpoint',
      'BAD_FORMAT',
      `expected ${name} of shape [${expectedShape.join(', ')}] in the checkpoint, got ${a ? `[${a.shape.join(', ')}]` : 'none'} (was the config changed?)`,
    );
  }
  return a;
}

/** Puts back what {@link variableArrays} saved under `prefix`. */
export function assignVariables(
  prefix: string,
  variables: readonly tf.Variable[],
  arrays: ReadonlyMap<string, NamedArray<'float32'>>,
): void {
  tf.tidy(() => {
    for (const [i, v] of variables.entries())
      v.assign(tf.tensor(takeArray(arrays, `${prefix}/${i}`, v.shape).values, v.shape));
  });
}
