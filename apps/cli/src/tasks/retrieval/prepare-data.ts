import {
  type InputSpec,
  classDisjointSplit,
  type LabelledData,
  sampleSize,
  Standardizer,
  stratifiedSplit,
  subsetData,
} from '@empirical-bregman/datasets';
import { loadDataFiles, loadDataset } from '@empirical-bregman/datasets/node';
import { SeededRandom } from '@empirical-bregman/common';
import { CliError } from '../../cli-error';
import type { RunConfig } from '../../config/run-config';

/** The three parts of a run's data, features flattened to vectors, plus how they were made. */
export interface PreparedData {
  readonly train: LabelledData;
  readonly val: LabelledData;
  readonly test: LabelledData;
  /**
   * Class-disjoint only: held-out samples of the training classes ({@link IN_DISTRIBUTION_TEST_FRACTION} of each),
   * never trained on nor used for validation — the "seen" side of unseen-class detection, against `test`'s unseen
   * classes.
   */
  readonly seenTest?: LabelledData;
  /** Shape of one sample as loaded ([28, 28, 1] for MNIST, [d] for tabular). */
  readonly sampleShape: readonly number[];
  readonly isImage: boolean;
  /** Human-readable description of the split, for the report. */
  readonly description: string;
  /** The preprocessing applied to every part (standardisation for tabular data), for new samples to embed. */
  readonly preprocess: (features: Float32Array) => Float32Array;
  /** What a saved model needs to turn raw input into the trunk's input (model/manifest.json's `input`). */
  readonly input: ModelInput;
  /** Class names by label index. */
  readonly classNames: readonly string[];
  /** Where the data came from: a catalogue name or users' files, with the SHA-256 fingerprint of the files read. */
  readonly source: { readonly name: string; readonly fingerprint: string | null; readonly files: readonly string[] };
}

/** model/manifest.json's `input`: the raw sample's shape and the preprocessing before the trunk. */
export interface ModelInput {
  readonly kind: 'table' | 'image' | 'array';
  readonly sampleShape: readonly number[];
  readonly featureNames?: readonly string[];
  readonly standardizer?: { readonly mean: number[]; readonly std: number[] };
  /** Raw values are divided by it first (images given as 0–255). */
  readonly divisor?: number;
}

/**
 * The share of each training class held out of a class-disjoint run as its seen-class test part (`seenTest`). 15%:
 * enough items (≈ 450 on MNIST digits) for AUROC to two decimals without starving training.
 */
export const IN_DISTRIBUTION_TEST_FRACTION = 0.15;

/** Held-out items a seen-class test part needs at least: half fit τ, half are scored. */
export const MIN_SEEN_TEST_ITEMS = 20;

function classesOf(data: LabelledData): number[] {
  return [...new Set(data.labels)].sort((a, b) => a - b);
}

/**
 * Class labels for a report line, runs of three or more consecutive labels as ranges ("0–837, 900"): a 1,876-class
 * split listed label by label made one 9 kB line.
 */
export function classList(classes: Iterable<number>): string {
  const sorted = [...classes].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    if (j - i >= 2) parts.push(`${sorted[i]}–${sorted[j]}`);
    else for (let k = i; k <= j; k++) parts.push(String(sorted[k]));
    i = j + 1;
  }
  return parts.join(', ');
}

function indicesOfClasses(labels: Int32Array, classes: ReadonlySet<number>): Int32Array {
  const out: number[] = [];
  for (let i = 0; i < labels.length; i++) if (classes.has(labels[i]!)) out.push(i);
  return Int32Array.from(out);
}

/**
 * Loads the dataset and applies the protocol:
 * - `class-disjoint` (the metric-learning standard, Musgrave et al. 2020): the first half of the classes for training
 *   and validation, the second half for testing. Validation holds out `valClasses` whole training classes (auto: 2
 *   when at least 5 training classes remain with 3 or more to train on, so early stopping measures generalisation
 *   to unseen classes); with fewer, `valFraction` of each training class's samples.
 *   {@link IN_DISTRIBUTION_TEST_FRACTION} of each training class is held out as `seenTest` (unseen-class detection),
 *   unless that holds out fewer than 2 samples of every class (the emoji set: 2 per class), when there is none.
 * - `closed-set`: every class everywhere; `testFraction` then `valFraction` of each class held out.
 * Tabular features are standardised with statistics of the training part only.
 */
export async function prepareData(config: RunConfig): Promise<PreparedData> {
  let spec: InputSpec | undefined;
  let source: PreparedData['source'] = { name: config.dataset, fingerprint: null, files: [] };
  let loaded: LabelledData;
  if (config.data !== undefined) {
    const files = await loadDataFiles(config.data, {
      name: config.dataset,
      ...(config.labelColumn !== undefined ? { labelColumn: config.labelColumn } : {}),
      ...(config.imageSize !== undefined ? { imageSize: config.imageSize } : {}),
      ...(config.channels !== undefined ? { channels: config.channels as 1 | 3 } : {}),
    });
    loaded = files;
    spec = files.input;
    source = { name: config.data, fingerprint: files.fingerprint, files: files.files };
  } else {
    loaded = await loadDataset(config.dataset);
  }
  const isImage = loaded.sampleShape.length === 3;
  let train: LabelledData;
  let val: LabelledData;
  let test: LabelledData;
  let seenTest: LabelledData | undefined;
  let description: string;
  if (config.protocol === 'class-disjoint') {
    const split = classDisjointSplit(loaded.labels);
    const trainValClasses = Array.from(split.trainValClasses);
    const byClasses = config.validation === 'classes' || (config.validation === 'auto' && trainValClasses.length >= 5);
    const valClassCount = byClasses ? config.valClasses || autoValidationClasses(trainValClasses.length) : 0;
    if (valClassCount > 0) {
      if (trainValClasses.length - valClassCount < 2 || valClassCount < 2) {
        throw new CliError(
          'config',
          'INVALID_ARGUMENT',
          `"valClasses" must leave at least 2 training classes and be at least 2; ${loaded.name} has ${trainValClasses.length} training classes, got ${valClassCount}`,
        );
      }
      const valSet = new Set(trainValClasses.slice(trainValClasses.length - valClassCount));
      const trainSet = new Set(trainValClasses.slice(0, trainValClasses.length - valClassCount));
      train = subsetData(loaded, indicesOfClasses(loaded.labels, trainSet));
      val = subsetData(loaded, indicesOfClasses(loaded.labels, valSet));
      description = `class-disjoint: train classes ${classList(trainSet)}, validation classes ${classList(valSet)}, test classes ${classList(split.testClasses)}`;
    } else {
      const trainVal = subsetData(loaded, split.trainVal);
      const inner = stratifiedSplit(trainVal.labels, {
        testFraction: 0,
        valFraction: config.valFraction,
        seed: config.seed,
      });
      train = subsetData(trainVal, inner.train);
      val = subsetData(trainVal, inner.val);
      description = `class-disjoint: train classes ${classList(trainValClasses)} (${(config.valFraction * 100).toFixed(0)}% of their samples for validation), test classes ${classList(split.testClasses)}`;
    }
    test = subsetData(loaded, split.test);
    // The seen-class test part comes out of the training part only (whole validation classes stay whole).
    const held = stratifiedSplit(train.labels, {
      testFraction: IN_DISTRIBUTION_TEST_FRACTION,
      valFraction: 0,
      seed: `${config.seed}/seen-test`,
    });
    // Unseen-class detection fits its temperature on half of the held-out items and scores the other half, so it
    // needs enough of them. Data with a few samples per class may have none: the emoji set has one drawing per class
    // and vendor, and 15% of 2 rounds to 0. Then nothing is held out and the run has no detection.
    const percent = (IN_DISTRIBUTION_TEST_FRACTION * 100).toFixed(0);
    if (held.test.length >= MIN_SEEN_TEST_ITEMS) {
      seenTest = subsetData(train, held.test);
      train = subsetData(train, held.train);
      description += `; ${percent}% of each training class held out as the seen-class test part`;
    } else {
      description += `; no seen-class test part (${percent}% of each training class gives ${held.test.length} samples, fewer than ${MIN_SEEN_TEST_ITEMS}), so no unseen-class detection`;
    }
  } else {
    const split = stratifiedSplit(loaded.labels, {
      testFraction: config.testFraction,
      valFraction: config.valFraction,
      seed: config.seed,
    });
    train = subsetData(loaded, split.train);
    val = subsetData(loaded, split.val);
    test = subsetData(loaded, split.test);
    description = `closed-set: all ${loaded.numClasses} classes; ${(config.testFraction * 100).toFixed(0)}% of each class for test, ${(config.valFraction * 100).toFixed(0)}% for validation`;
  }
  const cap = (d: LabelledData, max: number, label: string): LabelledData => {
    if (max <= 0 || d.labels.length <= max) return d;
    const keep = new SeededRandom(`${config.seed}/${label}`).sample(d.labels.length, max).sort();
    return subsetData(d, keep);
  };
  if (config.maxTrainSamples > 0 && train.labels.length > config.maxTrainSamples) {
    train = cap(train, config.maxTrainSamples, 'train');
    description += `; training capped at ${config.maxTrainSamples} samples`;
  }
  if (
    config.maxEvalSamples > 0 &&
    (val.labels.length > config.maxEvalSamples || test.labels.length > config.maxEvalSamples)
  ) {
    val = cap(val, config.maxEvalSamples, 'val');
    test = cap(test, config.maxEvalSamples, 'test');
    if (seenTest) seenTest = cap(seenTest, config.maxEvalSamples, 'seen-test');
    description += `; validation and test capped at ${config.maxEvalSamples} random samples each`;
  }
  let preprocess = (features: Float32Array): Float32Array => features;
  let standardizer: Standardizer | undefined;
  if (!isImage) {
    const fitted = Standardizer.fit(train.features, sampleSize(train.sampleShape));
    standardizer = fitted;
    const apply = (d: LabelledData): LabelledData => ({ ...d, features: fitted.transform(d.features) });
    train = apply(train);
    val = apply(val);
    test = apply(test);
    if (seenTest) seenTest = apply(seenTest);
    description += '; features standardised on the training part';
    preprocess = (features) => fitted.transform(features);
  }
  for (const [part, d] of [
    ['training', train],
    ['validation', val],
    ['test', test],
  ] as const) {
    if (classesOf(d).length < 2) {
      throw new CliError(
        'prepareData',
        'INVALID_ARGUMENT',
        `expected at least 2 classes in the ${part} part of ${loaded.name}, got ${classesOf(d).length}`,
      );
    }
  }
  const input: ModelInput = {
    kind: spec?.kind ?? (isImage ? 'array' : 'table'),
    sampleShape: [...loaded.sampleShape],
    ...(spec?.kind === 'table' ? { featureNames: [...spec.featureNames] } : {}),
    ...(standardizer
      ? { standardizer: { mean: Array.from(standardizer.mean), std: Array.from(standardizer.std) } }
      : {}),
    ...(spec?.kind === 'image' ? { divisor: spec.divisor } : {}),
  };
  const classNames = loaded.classNames ?? Array.from({ length: loaded.numClasses }, (_, i) => String(i));
  return {
    train,
    val,
    test,
    ...(seenTest ? { seenTest } : {}),
    sampleShape: loaded.sampleShape,
    isImage,
    description,
    preprocess,
    input,
    classNames,
    source,
  };
}

/**
 * Validation classes when `valClasses` is 0 (auto): a tenth of the training classes, at least 2. A fixed 2 made the
 * validation score of many-class data meaningless: 2 emoji (4 drawings) give P@1 = 1 to any network, so the untrained
 * weights were kept as the best epoch, and 2 of 100 characters were all the hyper-parameter search saw.
 */
export function autoValidationClasses(trainingClasses: number): number {
  return Math.max(2, Math.ceil(trainingClasses / 10));
}
