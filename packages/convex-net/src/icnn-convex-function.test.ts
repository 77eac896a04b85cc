import { SeededRandom } from '@empirical-bregman/common';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { IcnnConvexFunction } from './icnn-convex-function';
import { bregmanSum, closeness, evaluate, randomRows } from './test-support';

describe('IcnnConvexFunction', () => {
  it('starts with ∇φ = O(‖x‖) at d = 128, width 256 (no blow-up of the softplus-reparameterised weights)', () => {
    const rng = new SeededRandom(1);
    for (const activation of ['softplus', 'relu'] as const) {
      const phi = new IcnnConvexFunction({ dim: 128, hiddenSizes: [256, 256, 256], activation, mu: 0.1, seed: 2 });
      const x = randomRows(rng, 16, 128);
      const { grad } = evaluate(phi, x);
      for (let i = 0; i < x.length; i++) {
        const ratio = Math.hypot(...grad[i]) / Math.hypot(...x[i]);
        // μ = 0.1 alone gives 0.1; the network adds an O(1) term of comparable size.
        expect(ratio).toBeGreaterThan(0.1);
        expect(ratio).toBeLessThan(1);
      }
      phi.dispose();
    }
  });

  it('explicit ∂/∂θ of the Bregman sum equals nested autodiff (∇φ by tf.grad, then variableGrads)', () => {
    for (const activation of ['softplus', 'relu'] as const) {
      const phi = new IcnnConvexFunction({ dim: 4, hiddenSizes: [6, 5], activation, mu: 0.3, seed: 3 });
      const rng = new SeededRandom(4);
      const x = tf.tensor2d(randomRows(rng, 6, 4));
      const y = tf.tensor2d(randomRows(rng, 6, 4));
      const c = tf.ones([6]) as tf.Tensor1D;
      const explicit = tf.variableGrads(() => bregmanSum(phi, x, y, c), phi.trainableVariables);
      const nested = tf.variableGrads(() => {
        const value = (v: tf.Tensor2D) => phi.valueAndGrad(v, { validate: false }).value;
        const gradY = tf.grad((v: tf.Tensor) => tf.sum(value(v as tf.Tensor2D)))(y);
        const d = tf.sub(tf.sub(value(x), value(y)), tf.sum(tf.mul(gradY, tf.sub(x, y)), 1));
        return tf.sum(d) as tf.Scalar;
      }, phi.trainableVariables);
      expect(explicit.value.dataSync()[0]).toBeCloseTo(nested.value.dataSync()[0], 4);
      for (const v of phi.trainableVariables) {
        const a = Array.from(explicit.grads[v.name].dataSync());
        const b = Array.from(nested.grads[v.name].dataSync());
        expect(closeness(a, b, 1e-5, 1e-3)).toBeLessThan(1);
      }
      tf.dispose([
        x,
        y,
        c,
        explicit.value,
        nested.value,
        ...Object.values(explicit.grads),
        ...Object.values(nested.grads),
      ]);
      phi.dispose();
    }
  });

  it('validates its options', () => {
    expect(() => new IcnnConvexFunction({ dim: 3, mu: 0 })).toThrow('IcnnConvexFunction: expected mu > 0, got 0');
    expect(() => new IcnnConvexFunction({ dim: 3, hiddenSizes: [] })).toThrow(
      /expected hiddenSizes to be a non-empty array/,
    );
    expect(() => new IcnnConvexFunction({ dim: 3, activation: 'tanh' as never })).toThrow(
      `IcnnConvexFunction: expected activation 'softplus' or 'relu', got "tanh"`,
    );
  });

  it('is reproducible from its seed', () => {
    const a = new IcnnConvexFunction({ dim: 3, seed: 9 });
    const b = new IcnnConvexFunction({ dim: 3, seed: 9 });
    expect(a.toJSON()).toEqual(b.toJSON());
    a.dispose();
    b.dispose();
  });
});
