import * as tf from '@tensorflow/tfjs-core';
import type { ConvexConjugate, ValueAndGrad, ValueAndGradOptions } from './convex-function';
import { checkInput, type InputDomain } from './input-domain';

/** Computes φ(X): [n] and ∇φ(X): [n, d] from a checked input, inside a tidy (ranks are not re-checked). */
export type ValueAndGradKernel = (x: tf.Tensor2D) => { value: tf.Tensor; grad: tf.Tensor };

/**
 * The shared body of every `valueAndGrad`: checks the input (shape always, values when `validate` is not false),
 * then runs `kernel` inside `tf.tidy` so that only the two returned tensors survive (the caller owns them).
 */
export function runValueAndGrad(
  component: string,
  x: tf.Tensor2D,
  dim: number,
  domain: InputDomain,
  options: ValueAndGradOptions | undefined,
  kernel: ValueAndGradKernel,
): ValueAndGrad {
  checkInput(component, x, dim, domain, options?.validate ?? true);
  return tf.tidy(() => kernel(x)) as ValueAndGrad;
}

/** A conjugate φ* given by a closed-form kernel on a fixed domain. */
export class ClosedFormConjugate implements ConvexConjugate {
  constructor(
    /** Name used in errors, e.g. `'BurgEntropy.conjugate'`. */
    private readonly component: string,
    readonly dim: number,
    /** Domain of φ* (where it is finite and differentiable). */
    readonly domain: InputDomain,
    private readonly kernel: ValueAndGradKernel,
  ) {}

  valueAndGrad(y: tf.Tensor2D, options?: ValueAndGradOptions): ValueAndGrad {
    return runValueAndGrad(`${this.component}.valueAndGrad`, y, this.dim, this.domain, options, this.kernel);
  }
}
