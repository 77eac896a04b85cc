import * as tf from '@tensorflow/tfjs-core';
import type { SerializedTensor } from './convex-function';
import { ConvexNetError } from './convex-net-error';

/** Reads a tensor's data into JSON form (synchronous read: not for training steps). */
export function serializeTensor(t: tf.Tensor): SerializedTensor {
  return { shape: [...t.shape], values: Array.from(t.dataSync()) };
}

/**
 * Checks a serialised tensor against the expected shape and returns its values as a Float32Array. Throws a
 * `BAD_FORMAT` {@link ConvexNetError} naming `component` and the weight when it does not match.
 */
export function readSerializedTensor(
  component: string,
  name: string,
  data: SerializedTensor | undefined,
  shape: readonly number[],
): Float32Array {
  const expected = `[${shape.join(', ')}]`;
  if (data === undefined || !Array.isArray(data.shape) || !Array.isArray(data.values)) {
    throw new ConvexNetError(component, 'BAD_FORMAT', `expected weight '${name}' of shape ${expected}, got none`);
  }
  const size = shape.reduce((a, b) => a * b, 1);
  if (data.shape.length !== shape.length || data.shape.some((s, i) => s !== shape[i]) || data.values.length !== size) {
    throw new ConvexNetError(
      component,
      'BAD_FORMAT',
      `expected weight '${name}' of shape ${expected}, got shape [${data.shape.join(', ')}] with ${data.values.length} values`,
    );
  }
  if (!data.values.every((v) => typeof v === 'number' && Number.isFinite(v))) {
    throw new ConvexNetError(
      component,
      'BAD_FORMAT',
      `expected finite numbers in weight '${name}', got a non-finite value`,
    );
  }
  return Float32Array.from(data.values);
}

/** Assigns the weights in `weights` to the named variables (shapes checked first, then assigned). */
export function assignWeights(
  component: string,
  variables: Readonly<Record<string, tf.Variable>>,
  weights: Readonly<Record<string, SerializedTensor>>,
): void {
  const values = Object.entries(variables).map(
    ([name, v]) => [v, readSerializedTensor(component, name, weights[name], v.shape)] as const,
  );
  for (const [v, data] of values) {
    tf.tidy(() => v.assign(tf.tensor(data, v.shape, 'float32')));
  }
}
