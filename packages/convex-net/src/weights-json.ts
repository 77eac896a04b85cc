import { type NamedArray, type NamedArrayJSON, namedArrayFromJSON, namedArrayToJSON } from '@empirical-bregman/common';
import * as tf from '@tensorflow/tfjs-core';
import { ConvexNetError } from './convex-net-error';

// A learnable generator's `toJSON().weights` is a record of NamedArrayJSON keyed by variable name: common's JSON
// encoding of a NamedArray, the `{ shape, values }` form saved models have always used.

/** A variable's current values as a float32 NamedArray (synchronous read: not for training steps). */
export function readVariable(name: string, v: tf.Tensor): NamedArray<'float32'> {
  return { name, shape: [...v.shape], values: Float32Array.from(v.dataSync()) };
}

/** A variable's current values in the JSON form of `toJSON().weights` (synchronous read). */
export function variableToJSON(name: string, v: tf.Tensor): NamedArrayJSON {
  return namedArrayToJSON(readVariable(name, v));
}

/**
 * Reads the saved weight `name` and checks it against the variable's `shape`; returns its float32 values. Throws a
 * `BAD_FORMAT` {@link ConvexNetError} naming `component` and the weight when it is missing, malformed or of another
 * shape.
 */
export function readWeight(
  component: string,
  name: string,
  data: NamedArrayJSON | undefined,
  shape: readonly number[],
): Float32Array {
  const expected = `[${shape.join(', ')}]`;
  if (data === undefined) {
    throw new ConvexNetError(component, 'BAD_FORMAT', `expected weight '${name}' of shape ${expected}, got none`);
  }
  const array = namedArrayFromJSON(data, name, { component, errorClass: ConvexNetError });
  if (array.dtype === 'int32') {
    throw new ConvexNetError(component, 'BAD_FORMAT', `expected weight '${name}' of dtype float32, got int32`);
  }
  if (array.shape.length !== shape.length || array.shape.some((s, i) => s !== shape[i])) {
    throw new ConvexNetError(
      component,
      'BAD_FORMAT',
      `expected weight '${name}' of shape ${expected}, got shape [${array.shape.join(', ')}] with ${array.values.length} values`,
    );
  }
  return array.values;
}

/** Assigns the weights in `weights` to the named variables (all read and checked first, then assigned). */
export function assignWeights(
  component: string,
  variables: Readonly<Record<string, tf.Variable>>,
  weights: Readonly<Record<string, NamedArrayJSON>>,
): void {
  const values = Object.entries(variables).map(
    ([name, v]) => [v, readWeight(component, name, weights[name], v.shape)] as const,
  );
  for (const [v, data] of values) {
    tf.tidy(() => v.assign(tf.tensor(data, v.shape, 'float32')));
  }
}
