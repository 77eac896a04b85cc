import { describe, expect, it } from 'vitest';
import { classDisjointFolds } from './class-disjoint-folds';
import { classDisjointSplit } from './class-disjoint-split';

const labels = Int32Array.from({ length: 300 }, (_, i) => i % 12);

describe('classDisjointFolds', () => {
  it('gives k folds whose validation classes are disjoint from training and partition the classes', () => {
    const { trainVal } = classDisjointSplit(labels); // classes 0–5
    const folds = classDisjointFolds(labels, 3, { indices: trainVal, seed: 5 });
    expect(folds).toHaveLength(3);
    const validated: number[] = [];
    for (const fold of folds) {
      const trainSet = new Set(Array.from(fold.train, (i) => labels[i]));
      const valSet = new Set(Array.from(fold.val, (i) => labels[i]));
      for (const c of valSet) expect(trainSet.has(c)).toBe(false);
      expect(valSet.size).toBe(2);
      expect(trainSet.size).toBe(4);
      expect(fold.train.length + fold.val.length).toBe(trainVal.length);
      validated.push(...fold.valClasses);
    }
    expect(validated.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('is deterministic for a seed and changes with the seed', () => {
    const a = classDisjointFolds(labels, 4, { seed: 1 }).map((f) => Array.from(f.valClasses));
    const b = classDisjointFolds(labels, 4, { seed: 1 }).map((f) => Array.from(f.valClasses));
    const c = classDisjointFolds(labels, 4, { seed: 2 }).map((f) => Array.from(f.valClasses));
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('refuses too few classes and bad k', () => {
    expect(() => classDisjointFolds([0, 1, 2, 3, 4], 3)).toThrow(
      /expected at least 6 classes for 3 class-disjoint folds/,
    );
    expect(() => classDisjointFolds(labels, 1)).toThrow(/integer k >= 2/);
  });
});
