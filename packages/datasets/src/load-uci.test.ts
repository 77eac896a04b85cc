import { describe, expect, it } from 'vitest';
import { classCounts } from './labelled-data';
import { loadUci } from './load-uci';

describe('loadUci', () => {
  it('loads the four bundled sets with their documented sizes and class counts', () => {
    const iris = loadUci('iris');
    expect([iris.labels.length, iris.sampleShape[0], iris.numClasses]).toEqual([150, 4, 3]);
    expect(Array.from(classCounts(iris.labels))).toEqual([50, 50, 50]);
    expect(iris.classNames).toEqual(['setosa', 'versicolor', 'virginica']);
    // First row of Fisher's data: 5.1, 3.5, 1.4, 0.2 (setosa).
    expect(Array.from(iris.features.subarray(0, 4))).toEqual([5.1, 3.5, 1.4, 0.2].map(Math.fround));

    const wine = loadUci('wine');
    expect([wine.labels.length, wine.sampleShape[0]]).toEqual([178, 13]);
    expect(Array.from(classCounts(wine.labels))).toEqual([59, 71, 48]);

    const cancer = loadUci('breast-cancer');
    expect([cancer.labels.length, cancer.sampleShape[0]]).toEqual([569, 30]);
    expect(Array.from(classCounts(cancer.labels))).toEqual([212, 357]); // malignant, benign

    const digits = loadUci('uci-digits');
    expect(digits.labels.length).toBe(1797);
    expect(digits.sampleShape).toEqual([8, 8, 1]);
    expect(digits.numClasses).toBe(10);
    expect(Math.max(...digits.features)).toBe(16);
  });
});
