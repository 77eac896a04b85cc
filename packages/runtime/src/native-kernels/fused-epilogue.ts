import type * as tf from '@tensorflow/tfjs-core';
import type { NativeBlasBinding } from './native-blas-binding';

/** The bias and activation a fused kernel (`_FusedMatMul`, `FusedConv2D`) applies to its product. */
export interface FusedEpilogue {
  /** The addon's activation code. */
  readonly activation: number;
  /** The leaky ReLU's slope. */
  readonly alpha: number;
  readonly bias: tf.TensorInfo | null;
  readonly prelu: tf.TensorInfo | null;
}

const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** Holds one value per output column (its last axis has n entries, every other axis 1), or one for all. */
function perColumn(t: tf.TensorInfo, n: number): boolean {
  const count = size(t.shape);
  return t.dtype === 'float32' && (count === 1 || (count === n && t.shape[t.shape.length - 1] === n));
}

/**
 * The epilogue of a fused kernel whose output has rows of `n`, when the addon can apply it: a known activation, and
 * a bias and PReLU weights of one value per column (or one in all). Null otherwise (e.g. a bias over rows and
 * columns): the kernel then falls back to the wasm one below it.
 */
export function fusedEpilogue(
  native: NativeBlasBinding,
  inputs: Record<string, tf.TensorInfo | undefined>,
  attrs: Record<string, unknown>,
  n: number,
): FusedEpilogue | null {
  const name = (attrs.activation as string | undefined) ?? 'linear';
  const activation = (native.activations as Record<string, number | undefined>)[name];
  if (activation === undefined) return null;
  const bias = inputs.bias ?? null;
  const prelu = name === 'prelu' ? (inputs.preluActivationWeights ?? null) : null;
  if (bias && !perColumn(bias, n)) return null;
  if (name === 'prelu' && (!prelu || !perColumn(prelu, n))) return null;
  return { activation, alpha: (attrs.leakyreluAlpha as number | undefined) ?? 0, bias, prelu };
}

/** True when the epilogue changes anything (a bias, or an activation other than linear). */
export function epilogueNeeded(epilogue: FusedEpilogue, native: NativeBlasBinding): boolean {
  return epilogue.bias !== null || epilogue.activation !== native.activations.linear;
}

/**
 * Applies `epilogue` in place to `count` output values at `offset` of `heap`, in rows of n. `biasOffset` and
 * `preluOffset` are the heap offsets of its tensors (any value when absent), read with the output's.
 */
export function applyEpilogue(
  native: NativeBlasBinding,
  heap: Float32Array,
  offset: number,
  count: number,
  n: number,
  epilogue: FusedEpilogue,
  biasOffset: number,
  preluOffset: number,
): void {
  if (count === 0 || !epilogueNeeded(epilogue, native)) return;
  const { bias, prelu } = epilogue;
  native.blas.biasActivation(
    heap,
    offset,
    count,
    n,
    bias ? biasOffset : -1,
    bias ? size(bias.shape) : 0,
    epilogue.activation,
    epilogue.alpha,
    prelu ? preluOffset : -1,
    prelu ? size(prelu.shape) : 0,
  );
}
