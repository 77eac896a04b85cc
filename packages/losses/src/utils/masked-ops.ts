import * as tf from '@tensorflow/tfjs-core';

/**
 * Tensor helpers shared by the losses and miners (internal, not exported from the index). Masks are float32 0/1
 * tensors. Masked-out entries are replaced by `where` before any exp/log, so their gradients are exactly zero and
 * never NaN.
 */

/** A finite stand-in for ∞ in masked max/min (float32-safe, exp(−BIG) = 0). */
export const BIG = 1e9;

/**
 * f(x) computed off the gradient tape, with gradient zero. Ops inside `f` are not recorded, so `f` may use
 * comparisons (which have no registered gradients) on tensors that depend on differentiated inputs.
 */
export function detached(x: tf.Tensor, f: (x: tf.Tensor) => tf.Tensor): tf.Tensor {
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const input = args[0] as tf.Tensor;
    return { value: f(input), gradFunc: () => tf.zeros(input.shape) };
  }) as (x: tf.Tensor) => tf.Tensor;
  return op(x);
}

/** x with gradient zero (the identity in the forward pass). */
export function stopGradient(x: tf.Tensor): tf.Tensor {
  return detached(x, (v) => tf.mul(v, 1));
}

export function isOn(mask: tf.Tensor): tf.Tensor {
  return tf.greater(mask, 0);
}

/** where(mask, x, fill) with a scalar fill. */
export function maskFill(x: tf.Tensor, mask: tf.Tensor, fill: number): tf.Tensor {
  return tf.where(isOn(mask), x, tf.fill(x.shape, fill));
}

/** max over `axis` of the entries where mask is on; −BIG for an empty slice. */
export function maskedMax(x: tf.Tensor, mask: tf.Tensor, axis: number, keepDims = false): tf.Tensor {
  return tf.max(maskFill(x, mask, -BIG), axis, keepDims);
}

/** min over `axis` of the entries where mask is on; +BIG for an empty slice. */
export function maskedMin(x: tf.Tensor, mask: tf.Tensor, axis: number, keepDims = false): tf.Tensor {
  return tf.min(maskFill(x, mask, BIG), axis, keepDims);
}

/**
 * log Σ_{k: mask on} exp(x_k) over `axis`, stable (shifted by the masked max); −BIG for an empty slice, whose
 * gradient is zero.
 */
export function maskedLogSumExp(x: tf.Tensor, mask: tf.Tensor, axis: number, keepDims = false): tf.Tensor {
  const on = isOn(mask);
  const xm = tf.where(on, x, tf.fill(x.shape, -BIG));
  const shift = stopGradient(tf.max(xm, axis, true));
  const terms = tf.where(on, tf.exp(tf.sub(xm, shift)), tf.zeros(x.shape));
  const s = tf.sum(terms, axis, true);
  const empty = tf.cast(tf.equal(tf.sum(tf.cast(on, 'float32'), axis, true), 0), 'float32');
  const out = tf.add(tf.log(tf.add(s, empty)), shift);
  return keepDims ? out : tf.squeeze(out, [axis]);
}

/** Σ mask (float scalar). */
export function count(mask: tf.Tensor): tf.Scalar {
  return tf.sum(tf.cast(isOn(mask), 'float32'));
}

/** Mean of x over the mask, 0 when the mask is empty. */
export function maskedMean(x: tf.Tensor, mask: tf.Tensor): tf.Scalar {
  const on = isOn(mask);
  const s = tf.sum(tf.where(on, x, tf.zeros(x.shape)));
  return tf.div(s, tf.maximum(count(mask), 1));
}

/**
 * The [rows, cols] 0/1 matrix with ones at (r[k], c[k]) (duplicates counted once), built with one matMul of one-hot
 * encodings, no scatter, no readback.
 */
export function indexMask(r: tf.Tensor1D, c: tf.Tensor1D, rows: number, cols: number): tf.Tensor2D {
  if (r.shape[0] === 0) return tf.zeros([rows, cols]);
  const oneR = tf.cast(tf.oneHot(r, rows), 'float32');
  const oneC = tf.cast(tf.oneHot(c, cols), 'float32');
  return tf.minimum(tf.matMul(oneR, oneC, true, false), 1) as tf.Tensor2D;
}

/** A scalar zero connected to `x` (gradient exactly 0, also for non-finite x), so empty losses stay differentiable. */
export function connectedZero(x: tf.Tensor): tf.Scalar {
  return tf.sum(tf.where(tf.zeros(x.shape, 'bool'), x, tf.zeros(x.shape)));
}
