import type * as tf from '@tensorflow/tfjs-core';
import { describeValue } from '@empirical-bregman/common';
import { BregmanCoreError } from './bregman-core-error';
import type { ConvexFunction } from '@empirical-bregman/convex-net';

/**
 * Boundary checks shared by the package (internal, except `checkEmbeddings` and `isTensor`, exported for the packages
 * that take embeddings). They only look at shapes and
 * dtypes, never read data back, so they are cheap enough for training steps.
 */

/**
 * Whether `x` is a tfjs tensor. Duck-typed, not `instanceof tf.Tensor`: an app may load two copies of tfjs-core (ESM
 * and CJS), and a tensor of one is not an instance of the other's class.
 */
export function isTensor(x: unknown): x is tf.Tensor {
  const t = x as Partial<tf.Tensor> | null;
  return (
    typeof t === 'object' &&
    t !== null &&
    Array.isArray(t.shape) &&
    typeof t.rank === 'number' &&
    typeof t.dtype === 'string' &&
    typeof t.dataSync === 'function'
  );
}

/** Throws unless `x` is a rank-2 float tensor (of width `dim` when given). Returns its width. */
export function checkMatrix(component: string, name: string, x: unknown, dim: number | null = null): number {
  if (!isTensor(x)) {
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

/**
 * Throws unless `x` is a non-empty float32 rank-2 tensor of embeddings, naming `component` and the argument: the one
 * check search, eval and the model package apply to embeddings at their boundary.
 */
export function checkEmbeddings(component: string, name: string, x: unknown): tf.Tensor2D {
  if (!isTensor(x) || x.rank !== 2) {
    throw new BregmanCoreError(
      component,
      'INVALID_SHAPE',
      `expected ${name} to be a tf.Tensor2D [n, d], got ${describeValue(x)}`,
    );
  }
  if (x.shape[0] === 0 || x.shape[1] === 0) {
    throw new BregmanCoreError(
      component,
      'INVALID_ARGUMENT',
      `expected ${name} to be non-empty, got ${describeValue(x)}`,
    );
  }
  if (x.dtype !== 'float32') {
    throw new BregmanCoreError(component, 'INVALID_ARGUMENT', `expected ${name} of dtype float32, got ${x.dtype}`);
  }
  return x as tf.Tensor2D;
}
