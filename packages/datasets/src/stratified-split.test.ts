import { describe, expect, it } from 'vitest';
import { stratifiedSplit } from './stratified-split';

describe('stratifiedSplit', () => {
  // 3 classes of 50, 40, 10 samples.
  const labels = [...new Array(50).fill(0), ...new Array(40).fill(1), ...new Array(10).fill(2)];

  it('holds out round(n·fraction) of every class and covers all samples once', () => {
    const split = stratifiedSplit(labels, { testFraction: 0.2, valFraction: 0.1, seed: 3 });
    const count = (idx: Int32Array, c: number) => Array.from(idx).filter((i) => labels[i] === c).length;
    expect([0, 1, 2].map((c) => count(split.test, c))).toEqual([10, 8, 2]);
    expect([0, 1, 2].map((c) => count(split.val, c))).toEqual([5, 4, 1]);
    expect([0, 1, 2].map((c) => count(split.train, c))).toEqual([35, 28, 7]);
    const all = [...split.train, ...split.val, ...split.test].sort((a, b) => a - b);
    expect(all).toEqual(labels.map((_, i) => i));
  });

  it('is deterministic for a seed', () => {
    const a = stratifiedSplit(labels, { seed: 9 });
    const b = stratifiedSplit(labels, { seed: 9 });
    const c = stratifiedSplit(labels, { seed: 10 });
    expect(Array.from(a.test)).toEqual(Array.from(b.test));
    expect(Array.from(a.test)).not.toEqual(Array.from(c.test));
  });

  it('refuses fractions that leave no training sample', () => {
    expect(() => stratifiedSplit(labels, { testFraction: 0.6, valFraction: 0.5 })).toThrow(/sum < 1/);
    expect(() => stratifiedSplit([0, 0, 0, 1], { testFraction: 0.5 })).toThrow(
      /at least one training sample of class 1/,
    );
  });
});
