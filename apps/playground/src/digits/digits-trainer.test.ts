import { loadMnistDigits } from '@empirical-bregman/datasets/node';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { type Digits, toBytes } from './digits-file';
import { DigitsTrainer, splitDigits } from './digits-trainer';

function smallDigits(perClass: number): Digits {
  const data = loadMnistDigits({ maxPerClass: perClass });
  return { count: data.labels.length, side: 28, labels: Uint8Array.from(data.labels), pixels: toBytes(data.features) };
}

describe('splitDigits', () => {
  it('takes the first 80% of each class for training and up to perClassVal of the rest for validation', () => {
    const labels = Uint8Array.from([0, 0, 0, 0, 0, 1, 1, 1, 1, 1]);
    const { train, val } = splitDigits(labels, 0.8, 1);
    expect(Array.from(train)).toEqual([0, 1, 2, 3, 5, 6, 7, 8]);
    expect(Array.from(val)).toEqual([4, 9]);
  });
});

describe('DigitsTrainer', () => {
  it('trains with a finite falling loss, raises validation MAP@R above its start, and frees every tensor', async () => {
    const before = tf.memory().numTensors;
    const digits = smallDigits(60);
    const { train, val } = splitDigits(digits.labels, 0.7, 18);
    const trainer = new DigitsTrainer(digits, train, { seed: 1 });
    const first = await trainer.validate(val);
    const losses: number[] = [];
    for (let i = 0; i < 40; i++) losses.push(await trainer.step());
    const after = await trainer.validate(val);
    trainer.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(losses.every(Number.isFinite)).toBe(true);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(losses.slice(-5))).toBeLessThan(mean(losses.slice(0, 5)));
    // MAP@R recomputed by hand from the same neighbour lists (R = 17 for every query: 18 of each class):
    // mean over queries of (1/R) Σ_{r ≤ R, hit at r} precision@r. The metric is wired to the lists right.
    expect(after.k).toBe(17);
    const labels = Array.from(val, (i) => digits.labels[i]!);
    let total = 0;
    for (let q = 0; q < val.length; q++) {
      const list = Array.from(after.neighbours.slice(q * 17, q * 17 + 17));
      expect(list).not.toContain(q);
      let found = 0;
      total += list.reduce((s, j, r) => (labels[j] === labels[q] ? s + ++found / (r + 1) : s), 0) / 17;
    }
    expect(after.mapAtR).toBeCloseTo(total / val.length, 6);
    expect(after.mapAtR).toBeGreaterThan(first.mapAtR);
    expect(after.embeddings.length).toBe(val.length * 16);
  });
});
