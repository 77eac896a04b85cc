import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import type { ConvexFunction, ConvexFunctionJSON } from './convex-function';
import {
  convexFunctionFromJSON,
  registerConvexFunction,
  registeredConvexFunctionTypes,
} from './convex-function-registry';
import { SquaredNorm } from './squared-norm';

/** A user-defined generator: φ(x) = 2·½‖x‖² (wraps SquaredNorm), to exercise registration. */
class DoubledSquaredNorm implements ConvexFunction {
  readonly type = 'DoubledSquaredNorm';
  readonly trainableVariables: tf.Variable[] = [];
  private readonly inner: SquaredNorm;
  constructor(readonly dim: number) {
    this.inner = new SquaredNorm({ dim });
  }
  valueAndGrad(x: tf.Tensor2D) {
    const r = this.inner.valueAndGrad(x);
    const out = tf.tidy(() => ({ value: tf.mul(2, r.value) as tf.Tensor1D, grad: tf.mul(2, r.grad) as tf.Tensor2D }));
    tf.dispose([r.value, r.grad]);
    return out;
  }
  toJSON(): ConvexFunctionJSON {
    return { type: this.type, config: { dim: this.dim }, weights: {} };
  }
  dispose(): void {}
}

describe('registerConvexFunction', () => {
  it('lists every built-in generator', () => {
    expect(registeredConvexFunctionTypes()).toEqual(
      expect.arrayContaining([
        'SquaredNorm',
        'WeightedSquaredNorm',
        'Quadratic',
        'NegativeEntropy',
        'BurgEntropy',
        'ExponentialSum',
        'SoftplusSum',
        'IcnnConvexFunction',
        'MaxAffineConvexFunction',
        'SoftMaxAffineConvexFunction',
        'LearnedQuadratic',
      ]),
    );
  });

  it('makes convexFunctionFromJSON rebuild a custom type, and protects built-in names', () => {
    registerConvexFunction('DoubledSquaredNorm', (json) => new DoubledSquaredNorm(json.config.dim as number));
    const phi = convexFunctionFromJSON(new DoubledSquaredNorm(2).toJSON());
    expect(phi.type).toBe('DoubledSquaredNorm');
    const x = tf.tensor2d([[1, 2]]);
    const r = phi.valueAndGrad(x);
    expect(Array.from(r.value.dataSync())).toEqual([5]);
    tf.dispose([x, r.value, r.grad]);
    expect(() =>
      registerConvexFunction('SquaredNorm', (json) => new DoubledSquaredNorm(json.config.dim as number)),
    ).toThrow("registerConvexFunction: expected a type name not used by a built-in generator, got 'SquaredNorm'");
  });
});
