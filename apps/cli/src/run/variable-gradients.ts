import type * as tf from '@tensorflow/tfjs-core';

/** `grads` (tf.variableGrads' map) of `variables`, in their order, as an optimizer's `applyGradients` takes them. */
export function variableGradients(
  variables: readonly tf.Variable[],
  grads: tf.NamedTensorMap,
): { name: string; tensor: tf.Tensor }[] {
  return variables.map((v) => ({ name: v.name, tensor: grads[v.name]! }));
}
