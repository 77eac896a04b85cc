import * as tf from '@tensorflow/tfjs-core';
import { describeValue } from '@empirical-bregman/common';
import { LossesError } from '../losses-error';

/** Class labels: an int32 `Tensor1D`, or an `Int32Array` / `number[]` of integers. */
export type LabelsLike = tf.Tensor1D | Int32Array | readonly number[];

/**
 * Labels as an int32 tensor of length `n`, checked at the boundary without reading tensor data back:
 * arrays must hold integers; tensors must be rank 1 and of dtype int32 (a float tensor is refused rather than
 * silently rounded). Returns the tensor and whether the caller created it (and so must dispose it).
 */
export function toLabelTensor(
  component: string,
  labels: LabelsLike,
  n: number,
  name = 'labels',
): { tensor: tf.Tensor1D; owned: boolean } {
  if (labels instanceof tf.Tensor) {
    if (labels.rank !== 1) {
      throw new LossesError(
        component,
        'INVALID_SHAPE',
        `expected ${name} of rank 1 ([n]), got ${describeValue(labels)}`,
      );
    }
    if (labels.dtype !== 'int32') {
      throw new LossesError(
        component,
        'INVALID_ARGUMENT',
        `expected ${name} of dtype int32 (integer class ids), got dtype ${labels.dtype}`,
      );
    }
    if (labels.shape[0] !== n) {
      throw new LossesError(
        component,
        'INVALID_SHAPE',
        `expected ${name} of length ${n} (one per embedding row), got length ${labels.shape[0]}`,
      );
    }
    return { tensor: labels, owned: false };
  }
  if (!(Array.isArray(labels) || labels instanceof Int32Array)) {
    throw new LossesError(
      component,
      'INVALID_ARGUMENT',
      `expected ${name} as an int32 Tensor1D, Int32Array or number[], got ${describeValue(labels)}`,
    );
  }
  if (labels.length !== n) {
    throw new LossesError(
      component,
      'INVALID_SHAPE',
      `expected ${name} of length ${n} (one per embedding row), got length ${labels.length}`,
    );
  }
  for (let i = 0; i < labels.length; i++) {
    const v = labels[i] as number;
    if (!Number.isInteger(v) || v < -2147483648 || v > 2147483647) {
      throw new LossesError(
        component,
        'INVALID_ARGUMENT',
        `expected ${name} to be 32-bit integers, got ${describeValue(v)} at index ${i}`,
      );
    }
  }
  return { tensor: tf.tensor1d(Array.from(labels), 'int32'), owned: true };
}

/** Throws unless `x` is a rank-2 float32 tensor; returns its shape. */
export function checkEmbeddings(component: string, x: unknown, name = 'embeddings'): [number, number] {
  if (!(x instanceof tf.Tensor)) {
    throw new LossesError(
      component,
      'INVALID_ARGUMENT',
      `expected ${name} to be a tf.Tensor2D, got ${describeValue(x)}`,
    );
  }
  if (x.rank !== 2) {
    throw new LossesError(component, 'INVALID_SHAPE', `expected ${name} of rank 2 ([n, d]), got ${describeValue(x)}`);
  }
  if (x.dtype !== 'float32') {
    throw new LossesError(component, 'INVALID_ARGUMENT', `expected ${name} of dtype float32, got dtype ${x.dtype}`);
  }
  return [x.shape[0] as number, x.shape[1] as number];
}
