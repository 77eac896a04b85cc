import { DatasetError } from './dataset-error';

/** The result of {@link classDisjointSplit}: sample indices (ascending) and the classes on each side. */
export interface ClassDisjointSplit {
  /** Samples of the first half of the classes: training (and validation, see {@link classDisjointFolds}). */
  readonly trainVal: Int32Array;
  /** Samples of the second half of the classes: the held-out test classes. */
  readonly test: Int32Array;
  readonly trainValClasses: Int32Array;
  readonly testClasses: Int32Array;
}

/** The distinct labels in ascending order. */
export function distinctClasses(labels: ArrayLike<number>): Int32Array {
  const seen = new Set<number>();
  for (let i = 0; i < labels.length; i++) seen.add(labels[i]);
  return Int32Array.from([...seen].sort((a, b) => a - b));
}

/** The minimum number of classes on each side of a class-disjoint split (a metric needs ≥ 2 classes to compare). */
export const MIN_CLASSES_PER_SIDE = 2;

/**
 * The metric-learning standard split (Musgrave, Belongie & Lim, "A Metric Learning Reality Check", ECCV 2020; also
 * the CUB/Cars/SOP convention): with the C distinct classes sorted ascending, the first ⌊C/2⌋ classes go to
 * train/val and the remaining ⌈C/2⌉ to test, so no test class is ever seen in training. Deterministic: there is
 * nothing random about it. Datasets with fewer than 4 classes (Iris 3, Wine 3, Breast Cancer 2) cannot be split
 * this way and are closed-set only (use {@link stratifiedSplit}).
 *
 * ```ts
 * const { trainVal, test } = classDisjointSplit(loadMnistDigits().labels); // digits 0–4 vs 5–9
 * ```
 */
export function classDisjointSplit(labels: ArrayLike<number>): ClassDisjointSplit {
  const classes = distinctClasses(labels);
  if (classes.length < 2 * MIN_CLASSES_PER_SIDE) {
    throw new DatasetError(
      'classDisjointSplit',
      'INVALID_ARGUMENT',
      `expected at least ${2 * MIN_CLASSES_PER_SIDE} classes for a class-disjoint split (${MIN_CLASSES_PER_SIDE} per side), got ${classes.length}; this dataset is closed-set only: use stratifiedSplit`,
    );
  }
  const half = Math.floor(classes.length / 2);
  const trainValClasses = classes.slice(0, half);
  const testClasses = classes.slice(half);
  const isTrain = new Set(trainValClasses);
  const trainVal: number[] = [];
  const test: number[] = [];
  for (let i = 0; i < labels.length; i++) (isTrain.has(labels[i]) ? trainVal : test).push(i);
  return { trainVal: Int32Array.from(trainVal), test: Int32Array.from(test), trainValClasses, testClasses };
}
