import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { preset } from './presets';
import { gridPoints, TwoDTrainer } from './two-d-trainer';

describe('TwoDTrainer', () => {
  it('lowers the NCA loss on the moons in 50 steps and frees every tensor', async () => {
    const before = tf.memory().numTensors;
    const trainer = new TwoDTrainer({ seed: 3 });
    const points = preset('moons');
    const losses: number[] = [];
    for (let i = 0; i < 50; i++) losses.push(await trainer.step(points));
    const field = await trainer.field(8, 2.5, { x: 0.5, y: 0 });
    trainer.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(losses.every(Number.isFinite)).toBe(true);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(losses.slice(-5))).toBeLessThan(0.5 * mean(losses.slice(0, 5)));
    // A Bregman divergence is ≥ 0 and 0 only at the centre; the Euclidean field is the squared distance.
    expect(Math.min(...field.left!, ...field.right!)).toBeGreaterThanOrEqual(0);
    const grid = gridPoints(8, 2.5);
    expect(field.euclidean![0]).toBeCloseTo((grid[0]! - 0.5) ** 2 + grid[1]! ** 2, 4);
  });

  it('field: D(x, c) and D(c, x) match φ(x) − φ(c) − ⟨∇φ(c), x − c⟩ and its mirror, by hand from φ', async () => {
    const trainer = new TwoDTrainer({ seed: 5 });
    const c = { x: 0.3, y: -0.4 };
    const field = await trainer.field(4, 1, c);
    const grid = gridPoints(4, 1);
    const [phiC, gradC, gradX] = tf.tidy(() => {
      const { value, grad } = trainer.phi.valueAndGrad(tf.tensor2d([c.x, c.y], [1, 2]));
      const atGrid = trainer.phi.valueAndGrad(tf.tensor2d(grid, [16, 2]));
      return [value.dataSync()[0]!, Array.from(grad.dataSync()), atGrid.grad.dataSync().slice()];
    }) as unknown as [number, number[], Float32Array];
    for (let k = 0; k < 16; k++) {
      const [x, y] = [grid[2 * k]!, grid[2 * k + 1]!];
      const left = field.phi[k]! - phiC - (gradC[0]! * (x - c.x) + gradC[1]! * (y - c.y));
      const right = phiC - field.phi[k]! - (gradX[2 * k]! * (c.x - x) + gradX[2 * k + 1]! * (c.y - y));
      expect(field.left![k]).toBeCloseTo(Math.max(0, left), 4);
      expect(field.right![k]).toBeCloseTo(Math.max(0, right), 4);
    }
    trainer.dispose();
  });
});

describe('gridPoints', () => {
  it('puts cell centres row-major, row 0 at the top', () => {
    expect(Array.from(gridPoints(2, 1))).toEqual([-0.5, 0.5, 0.5, 0.5, -0.5, -0.5, 0.5, -0.5]);
  });
});
