import * as tf from '@tensorflow/tfjs-core';
import { describeValue } from '@empirical-bregman/common';
import { EvaluationError } from './evaluation-error';

/** Throws unless `x` is a non-empty float32 rank-2 tensor (checked here, so errors name `evaluate`). Internal. */
export function checkEmbeddings(component: string, name: string, x: unknown): tf.Tensor2D {
  if (!(x instanceof tf.Tensor) || x.rank !== 2) {
    throw new EvaluationError(
      component,
      'INVALID_SHAPE',
      `expected ${name} to be a tf.Tensor2D [n, d], got ${describeValue(x)}`,
    );
  }
  if (x.shape[0] === 0 || x.shape[1] === 0) {
    throw new EvaluationError(
      component,
      'INVALID_ARGUMENT',
      `expected ${name} to be non-empty, got ${describeValue(x)}`,
    );
  }
  if (x.dtype !== 'float32') {
    throw new EvaluationError(component, 'INVALID_ARGUMENT', `expected ${name} of dtype float32, got ${x.dtype}`);
  }
  return x as tf.Tensor2D;
}
