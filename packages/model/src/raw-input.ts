import { isTensor } from '@empirical-bregman/bregman-core';
import * as tf from '@tensorflow/tfjs-core';
import { describeValue } from '@empirical-bregman/common';
import { ModelError } from './model-error';

/**
 * Raw samples, as the user has them (before the model's standardizer and divisor):
 * - a typed array of n · ∏sampleShape values, sample after sample (row-major);
 * - `number[][]`: one flat array of ∏sampleShape values per sample;
 * - a `tf.Tensor` of shape [n, ...sampleShape], float32 or int32 (not disposed by the model).
 */
export type RawInput =
  | tf.Tensor
  | Float32Array
  | Float64Array
  | Int32Array
  | Uint8Array
  | Uint8ClampedArray
  | readonly (readonly number[])[];

/** Number of samples in `raw`, after checking it against `sampleShape`. Internal. */
export function countSamples(component: string, name: string, raw: RawInput, sampleShape: readonly number[]): number {
  const size = sampleShape.reduce((a, b) => a * b, 1);
  if (isTensor(raw)) {
    const ok = raw.rank === sampleShape.length + 1 && sampleShape.every((s, i) => raw.shape[i + 1] === s);
    if (!ok) {
      throw new ModelError(
        component,
        'INVALID_SHAPE',
        `expected ${name} of shape [n, ${sampleShape.join(', ')}] (the model's sampleShape), got [${raw.shape.join(', ')}]${raw.size % size === 0 && raw.size > 0 ? `: reshape it with tf.reshape(x, [-1, ${sampleShape.join(', ')}])` : ''}`,
      );
    }
    if (raw.dtype !== 'float32' && raw.dtype !== 'int32') {
      throw new ModelError(
        component,
        'INVALID_ARGUMENT',
        `expected ${name} of dtype float32 or int32, got ${raw.dtype}`,
      );
    }
    return raw.shape[0]!;
  }
  if (ArrayBuffer.isView(raw)) {
    const length = (raw as Float32Array).length;
    if (length % size !== 0) {
      throw new ModelError(
        component,
        'INVALID_SHAPE',
        `expected ${name} to hold n · ${size} values (∏sampleShape [${sampleShape.join(', ')}]), got ${length}`,
      );
    }
    return length / size;
  }
  if (Array.isArray(raw)) {
    for (let i = 0; i < raw.length; i++) {
      const row = raw[i];
      if (!Array.isArray(row) || row.length !== size) {
        throw new ModelError(
          component,
          'INVALID_SHAPE',
          `expected ${name}[${i}] to be an array of ${size} numbers (one sample of shape [${sampleShape.join(', ')}], flattened), got ${describeValue(row)}`,
        );
      }
    }
    return raw.length;
  }
  throw new ModelError(
    component,
    'INVALID_ARGUMENT',
    `expected ${name} to be a typed array, number[][] or a tf.Tensor, got ${describeValue(raw)}`,
  );
}

/**
 * Samples [start, end) of `raw` (already checked by {@link countSamples}) as a new float32 tensor
 * [end − start, ...sampleShape]; the caller disposes it. Internal.
 */
export function sampleTensor(raw: RawInput, start: number, end: number, sampleShape: readonly number[]): tf.Tensor {
  const size = sampleShape.reduce((a, b) => a * b, 1);
  const shape = [end - start, ...sampleShape];
  if (isTensor(raw)) {
    return tf.tidy(() => {
      const part = tf.slice(raw, [start, ...sampleShape.map(() => 0)], shape);
      return part.dtype === 'float32' ? part : tf.cast(part, 'float32');
    });
  }
  if (ArrayBuffer.isView(raw)) {
    const values = (raw as Float32Array).subarray(start * size, end * size);
    return tf.tensor(values instanceof Float32Array ? values : Float32Array.from(values), shape, 'float32');
  }
  const rows = raw as readonly (readonly number[])[];
  const values = new Float32Array((end - start) * size);
  for (let i = start; i < end; i++) values.set(rows[i]!, (i - start) * size);
  return tf.tensor(values, shape, 'float32');
}
