import { SeededRandom } from '@empirical-bregman/common';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { convexFunctionFromJSON } from './convex-function-registry';
import { IcnnConvexFunction } from './icnn-convex-function';
import { ResidualIcnnConvexFunction } from './residual-icnn-convex-function';
import { bregmanSum, closeness, convexityViolations, evaluate, finiteDifferenceGrad, randomRows } from './test-support';

/** D_φ(x, y) from φ and ∇φ (float64 arithmetic on the read values). */
function divergences(phi: ResidualIcnnConvexFunction, x: number[][], y: number[][]): number[] {
  const fx = evaluate(phi, x);
  const fy = evaluate(phi, y);
  return x.map(
    (row, i) => fx.value[i]! - fy.value[i]! - row.reduce((s, v, j) => s + fy.grad[i]![j]! * (v - y[i]![j]!), 0),
  );
}

describe('ResidualIcnnConvexFunction', () => {
  it('starts exactly at ½‖x‖²: φ, ∇φ = x and D = ½‖x − y‖² to float32 rounding, whatever the ICNN weights', () => {
    const rng = new SeededRandom(1);
    const phi = new ResidualIcnnConvexFunction({ dim: 5, hiddenSizes: [16, 8], seed: 7 });
    const x = randomRows(rng, 20, 5);
    const y = randomRows(rng, 20, 5);
    const { value, grad } = evaluate(phi, x);
    // ½‖x‖² by hand; ∇φ must be x itself (bit-exact: x + 0 · ∇ψ).
    for (let i = 0; i < x.length; i++) {
      expect(value[i]).toBeCloseTo(0.5 * x[i]!.reduce((s, v) => s + v * v, 0), 5);
      expect(grad[i]).toEqual(x[i]!.map((v) => Math.fround(v)));
    }
    const d = divergences(phi, x, y);
    for (let i = 0; i < x.length; i++) {
      const half = 0.5 * x[i]!.reduce((s, v, j) => s + (v - y[i]![j]!) ** 2, 0);
      expect(Math.abs(d[i]! - half)).toBeLessThan(1e-5 * (1 + half));
    }
    expect(phi.gateValue()).toBe(0);
    phi.dispose();
  });

  it('the gate gets the gradient Σ D_ψ at 0 and when shut (γ < 0), so the correction can start and restart', () => {
    const rng = new SeededRandom(2);
    const phi = new ResidualIcnnConvexFunction({ dim: 4, hiddenSizes: [6, 5], seed: 3 });
    const psi = new IcnnConvexFunction({ dim: 4, hiddenSizes: [6, 5], seed: 3 });
    const x = tf.tensor2d(randomRows(rng, 6, 4));
    const y = tf.tensor2d(randomRows(rng, 6, 4));
    const c = tf.ones([6]) as tf.Tensor1D;
    const gate = phi.trainableVariables[0]!;
    const { grads, value } = tf.variableGrads(() => bregmanSum(phi, x, y, c), [gate]);
    // ∂/∂g Σ D_φ = Σ D_ψ (the same seed builds the same ICNN); the ICNN's own weights get g · (…) = 0 now.
    const sumPsi = bregmanSum(psi, x, y, c);
    expect(grads[gate.name]!.dataSync()[0]).toBeCloseTo(sumPsi.dataSync()[0]!, 4);
    expect(sumPsi.dataSync()[0]).toBeGreaterThan(0);
    // Shut (γ = −0.5): φ is ½‖x‖², and γ still sees ∂L/∂g = Σ D_ψ (max's own gradient would be 0 for good).
    tf.tidy(() => gate.assign(tf.scalar(-0.5)));
    const shut = tf.variableGrads(() => bregmanSum(phi, x, y, c), [gate]);
    expect(shut.grads[gate.name]!.dataSync()[0]).toBeCloseTo(sumPsi.dataSync()[0]!, 4);
    const half = tf.tidy(() => tf.mul(0.5, tf.sum(tf.square(tf.sub(x, y)))));
    expect(shut.value.dataSync()[0]).toBeCloseTo(half.dataSync()[0]!, 4);
    tf.dispose([x, y, c, value, sumPsi, half, shut.value, ...Object.values(grads), ...Object.values(shut.grads)]);
    phi.dispose();
    psi.dispose();
  });

  it('with the gate open: convex on random midpoints, ∇φ matches finite differences, and a shut gate stays at ½‖x‖²', () => {
    const rng = new SeededRandom(5);
    const phi = new ResidualIcnnConvexFunction({ dim: 3, hiddenSizes: [10, 10], seed: 4 });
    const gate = phi.trainableVariables[0]!;
    tf.tidy(() => gate.assign(tf.scalar(2.5)));
    const x = randomRows(rng, 50, 3, 2);
    const y = randomRows(rng, 50, 3, 2);
    expect(convexityViolations(phi, x, y)).toEqual({ jensen: 0, monotone: 0 });
    const points = randomRows(rng, 8, 3);
    const fd = finiteDifferenceGrad(phi, points, 1e-2);
    expect(closeness(evaluate(phi, points).grad, fd, 1e-3, 1e-2)).toBeLessThan(1);
    // D_φ ≥ ½‖x − y‖² (1-strong convexity from the residual term) when the ICNN contributes.
    const d = divergences(phi, x, y);
    for (let i = 0; i < x.length; i++)
      expect(d[i]).toBeGreaterThanOrEqual(0.5 * x[i]!.reduce((s, v, j) => s + (v - y[i]![j]!) ** 2, 0) - 1e-4);
    // A negative γ is a shut gate: back to ½‖x‖², φ stays convex.
    tf.tidy(() => gate.assign(tf.scalar(-1)));
    expect(phi.gateValue()).toBe(0);
    expect(evaluate(phi, [[1, 2, 2]]).value[0]).toBeCloseTo(4.5, 5);
    phi.dispose();
  });

  it('round-trips through toJSON / convexFunctionFromJSON with its gate, and leaks no tensors', () => {
    const before = tf.memory().numTensors;
    const phi = new ResidualIcnnConvexFunction({ dim: 3, hiddenSizes: [4], seed: 1 });
    tf.tidy(() => phi.trainableVariables[0]!.assign(tf.scalar(0.3)));
    const back = convexFunctionFromJSON(JSON.parse(JSON.stringify(phi.toJSON())));
    expect(back.type).toBe('ResidualIcnnConvexFunction');
    const points = [
      [0.5, -1, 2],
      [3, 0, -0.25],
    ];
    expect(evaluate(back, points)).toEqual(evaluate(phi, points));
    expect(Object.keys(phi.toJSON().weights)).toEqual(['gate', 'A0', 'b0', 'u', 'w']);
    phi.dispose();
    back.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
