import { SeededRandom, isSeededRandom } from '@empirical-bregman/common';
import { distinctClasses } from './class-disjoint-split';
import { DatasetError } from './dataset-error';

/** The result of {@link stratifiedSplit}: disjoint sample indices, each sorted ascending. */
export interface StratifiedSplit {
  readonly train: Int32Array;
  readonly val: Int32Array;
  readonly test: Int32Array;
}

/** Options of {@link stratifiedSplit}. */
export interface StratifiedSplitOptions {
  /** Fraction of each class held out for test, in [0, 1). Default 0.2. */
  readonly testFraction?: number;
  /** Fraction of each class held out for validation, in [0, 1). Default 0. */
  readonly valFraction?: number;
  /** Seed of the per-class shuffles (a number, a string, or a {@link SeededRandom} which is advanced). Default 0. */
  readonly seed?: number | string | SeededRandom;
}

/**
 * The ordinary closed-set split: every class appears on every side, in the same proportions. For a class with n
 * samples, round(n·testFraction) random samples go to test, round(n·valFraction) to val, the rest (at least one)
 * to train. Used for the small UCI sets, which have too few classes for a class-disjoint split.
 *
 * ```ts
 * const { train, test } = stratifiedSplit(iris.labels, { testFraction: 0.3, seed: 7 });
 * ```
 */
export function stratifiedSplit(labels: ArrayLike<number>, options: StratifiedSplitOptions = {}): StratifiedSplit {
  const testFraction = options.testFraction ?? 0.2;
  const valFraction = options.valFraction ?? 0;
  if (!(testFraction >= 0 && valFraction >= 0 && testFraction + valFraction < 1)) {
    throw new DatasetError(
      'stratifiedSplit',
      'INVALID_ARGUMENT',
      `expected testFraction, valFraction >= 0 with a sum < 1, got ${testFraction} and ${valFraction}`,
    );
  }
  const rng = isSeededRandom(options.seed) ? options.seed : new SeededRandom(options.seed ?? 0);
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < labels.length; i++) {
    const list = byClass.get(labels[i]);
    if (list) list.push(i);
    else byClass.set(labels[i], [i]);
  }
  const train: number[] = [];
  const val: number[] = [];
  const test: number[] = [];
  for (const c of distinctClasses(labels)) {
    const members = rng.shuffle(byClass.get(c)!);
    const n = members.length;
    const nTest = Math.round(n * testFraction);
    const nVal = Math.round(n * valFraction);
    if (n - nTest - nVal < 1) {
      throw new DatasetError(
        'stratifiedSplit',
        'INVALID_ARGUMENT',
        `expected at least one training sample of class ${c}, got ${n} samples of which ${nTest} test and ${nVal} val`,
      );
    }
    test.push(...members.slice(0, nTest));
    val.push(...members.slice(nTest, nTest + nVal));
    train.push(...members.slice(nTest + nVal));
  }
  const sorted = (a: number[]) => Int32Array.from(a).sort();
  return { train: sorted(train), val: sorted(val), test: sorted(test) };
}
