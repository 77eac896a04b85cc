import * as tf from '@tensorflow/tfjs-core';
import { describeValue } from '@empirical-bregman/common';
import { BregmanCoreError } from './bregman-core-error';
import type { ConvexFunction } from '@empirical-bregman/convex-net';

/**
 * Boundary checks shared by the package (internal, not exported from the index). They only look at shapes and
 * dtypes, never read data back, so they are cheap enough for training steps.
 */

/** Throws unless `x` is a rank-2 float tensor (of width `dim` when given). Returns its width. */
export function checkMatrix(component: string, name: string, x: unknown, dim: number | null = null): number {
  if (!(x instanceof tf.Tensor)) {
    throw new BregmanCoreError(
      component,
      'INVALID_ARGUMENT',
      `expected ${name} to be a tf.Tensor2D, got ${describeValue(x)}`,
    );
  }
  if (x.rank !== 2) {
    throw new BregmanCoreError(
      component,
      'INVALID_SHAPE',
      `expected ${name} of rank 2 ([n, d]), got ${describeValue(x)}`,
    );
  }
  if (x.dtype !== 'float32') {
    throw new BregmanCoreError(component, 'INVALID_ARGUMENT', `expected ${name} of dtype float32, got ${x.dtype}`);
  }
  const width = x.shape[1] as number;
  if (dim !== null && width !== dim) {
    throw new BregmanCoreError(
      component,
      'INVALID_SHAPE',
      `expected ${name} of width ${dim} (the generator's dimension), got ${describeValue(x)}`,
    );
  }
  return width;
}

/** Throws unless `a` and `b` are rank-2 float tensors of one width (equal to `dim` when given). */
export function checkPair(
  component: string,
  a: unknown,
  b: unknown,
  options: { dim?: number | null; aligned?: boolean } = {},
): void {
  const dim = options.dim ?? null;
  const wa = checkMatrix(component, 'a', a, dim);
  const wb = checkMatrix(component, 'b', b, dim);
  if (wa !== wb) {
    throw new BregmanCoreError(
      component,
      'INVALID_SHAPE',
      `expected a and b of the same width, got a of shape [${(a as tf.Tensor).shape.join(', ')}] and b of shape [${(b as tf.Tensor).shape.join(', ')}]`,
    );
  }
  if (options.aligned === true && (a as tf.Tensor).shape[0] !== (b as tf.Tensor).shape[0]) {
    throw new BregmanCoreError(
      component,
      'INVALID_SHAPE',
      `expected a and b with the same number of rows (paired), got ${(a as tf.Tensor).shape[0]} and ${(b as tf.Tensor).shape[0]}`,
    );
  }
}

/** Throws unless `generator` looks like a ConvexFunction (valueAndGrad and a positive integer dim). */
export function checkGenerator(component: string, generator: unknown): asserts generator is ConvexFunction {
  const g = generator as { valueAndGrad?: unknown; dim?: unknown } | null;
  if (
    g === null ||
    typeof g !== 'object' ||
    typeof g.valueAndGrad !== 'function' ||
    !Number.isInteger(g.dim) ||
    (g.dim as number) <= 0
  ) {
    throw new BregmanCoreError(
      component,
      'INVALID_ARGUMENT',
      `expected a ConvexFunction (with valueAndGrad and a positive integer dim), got ${String(generator)}`,
    );
  }
}
