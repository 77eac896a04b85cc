import { SeededRandom, isSeededRandom } from '@empirical-bregman/common';
import { distinctClasses, MIN_CLASSES_PER_SIDE } from './class-disjoint-split';
import { DatasetError } from './dataset-error';

/** One fold of {@link classDisjointFolds}: sample indices (ascending) and the classes on each side. */
export interface ClassDisjointFold {
  readonly train: Int32Array;
  readonly val: Int32Array;
  readonly trainClasses: Int32Array;
  readonly valClasses: Int32Array;
}

/** Options of {@link classDisjointFolds}. */
export interface ClassDisjointFoldsOptions {
  /** Restrict to these samples (typically `classDisjointSplit(labels).trainVal`). Default: all samples. */
  readonly indices?: ArrayLike<number>;
  /** Seed of the class shuffle (a number, a string, or a {@link SeededRandom} which is advanced). Default 0. */
  readonly seed?: number | string | SeededRandom;
}

/**
 * k-fold class-disjoint validation ("A Metric Learning Reality Check", Musgrave et al. 2020, §4): the classes of the
 * given samples are shuffled with the seed and dealt into k groups of near-equal size; fold j validates on the
 * samples of group j and trains on the rest, so validation classes are never trained on and every class is
 * validated exactly once. Each side of every fold needs ≥ 2 classes.
 *
 * ```ts
 * const split = classDisjointSplit(labels);
 * const folds = classDisjointFolds(labels, 4, { indices: split.trainVal, seed: 1 });
 * ```
 */
export function classDisjointFolds(
  labels: ArrayLike<number>,
  k: number,
  options: ClassDisjointFoldsOptions = {},
): ClassDisjointFold[] {
  if (!Number.isInteger(k) || k < 2) {
    throw new DatasetError('classDisjointFolds', 'INVALID_ARGUMENT', `expected an integer k >= 2, got ${k}`);
  }
  const indices = options.indices ?? Int32Array.from({ length: labels.length }, (_, i) => i);
  const own: number[] = [];
  for (let j = 0; j < indices.length; j++) {
    const i = indices[j];
    if (!Number.isInteger(i) || i < 0 || i >= labels.length) {
      throw new DatasetError(
        'classDisjointFolds',
        'INVALID_ARGUMENT',
        `expected indices in [0, ${labels.length}), got ${i}`,
      );
    }
    own.push(labels[i]);
  }
  const classes = distinctClasses(own);
  const smallest = Math.floor(classes.length / k);
  if (smallest < MIN_CLASSES_PER_SIDE || classes.length - Math.ceil(classes.length / k) < MIN_CLASSES_PER_SIDE) {
    throw new DatasetError(
      'classDisjointFolds',
      'INVALID_ARGUMENT',
      `expected at least ${MIN_CLASSES_PER_SIDE * k} classes for ${k} class-disjoint folds (${MIN_CLASSES_PER_SIDE} per side), got ${classes.length}`,
    );
  }
  const rng = isSeededRandom(options.seed) ? options.seed : new SeededRandom(options.seed ?? 0);
  const shuffled = rng.shuffle(Int32Array.from(classes));
  const foldOf = new Map<number, number>();
  for (let j = 0; j < shuffled.length; j++) foldOf.set(shuffled[j], j % k);
  const sorted = Int32Array.from(indices).sort();
  const folds: ClassDisjointFold[] = [];
  for (let f = 0; f < k; f++) {
    const train: number[] = [];
    const val: number[] = [];
    for (const i of sorted) (foldOf.get(labels[i]) === f ? val : train).push(i);
    const valClasses = Int32Array.from(classes.filter((c) => foldOf.get(c) === f));
    const trainClasses = Int32Array.from(classes.filter((c) => foldOf.get(c) !== f));
    folds.push({ train: Int32Array.from(train), val: Int32Array.from(val), trainClasses, valClasses });
  }
  return folds;
}
