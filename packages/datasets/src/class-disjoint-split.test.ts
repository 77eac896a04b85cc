import { describe, expect, it } from 'vitest';
import { classDisjointSplit } from './class-disjoint-split';
import { DatasetError } from './dataset-error';
import { loadMnistDigits } from './load-mnist-digits';

describe('classDisjointSplit', () => {
  it('puts the first half of the classes in train/val and the second half in test, covering all samples', () => {
    const labels = loadMnistDigits().labels;
    const split = classDisjointSplit(labels);
    expect(Array.from(split.trainValClasses)).toEqual([0, 1, 2, 3, 4]);
    expect(Array.from(split.testClasses)).toEqual([5, 6, 7, 8, 9]);
    const trainLabels = new Set(Array.from(split.trainVal, (i) => labels[i]));
    const testLabels = new Set(Array.from(split.test, (i) => labels[i]));
    for (const c of trainLabels) expect(testLabels.has(c)).toBe(false);
    const all = new Set([...split.trainVal, ...split.test]);
    expect(all.size).toBe(labels.length);
    expect(split.trainVal.length + split.test.length).toBe(labels.length);
    // Digits 0–4: 1001 + 1127 + 991 + 1032 + 980.
    expect(split.trainVal.length).toBe(5131);
  });

  it('uses the sorted distinct labels, with an odd count giving the extra class to test', () => {
    const labels = [7, 3, 9, 3, 11, 20, 7];
    const split = classDisjointSplit(labels);
    expect(Array.from(split.trainValClasses)).toEqual([3, 7]);
    expect(Array.from(split.testClasses)).toEqual([9, 11, 20]);
    expect(Array.from(split.trainVal)).toEqual([0, 1, 3, 6]);
    expect(Array.from(split.test)).toEqual([2, 4, 5]);
  });

  it('refuses datasets with too few classes (Iris/Wine 3, Breast Cancer 2) with a clear error', () => {
    for (const labels of [
      [0, 1, 2, 0, 1, 2],
      [0, 1, 1, 0],
    ]) {
      try {
        classDisjointSplit(labels);
        expect.unreachable();
      } catch (error) {
        expect(error).toBeInstanceOf(DatasetError);
        expect((error as DatasetError).code).toBe('INVALID_ARGUMENT');
        expect((error as Error).message).toMatch(/classDisjointSplit: expected at least 4 classes.*closed-set only/);
      }
    }
  });
});
