import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { DatasetError } from './dataset-error';
import type { LabelledData } from './labelled-data';
import { parseLabelledCsv } from './parse-labelled-csv';

/** The UCI tabular sets shipped with this package. */
export type UciName = 'iris' | 'wine' | 'breast-cancer' | 'uci-digits';

const FILES: Record<
  UciName,
  { file: string; header: 'sklearn' | 'none'; sampleShape?: number[]; classNames?: string[] }
> = {
  iris: { file: 'iris.csv', header: 'sklearn' },
  wine: { file: 'wine_data.csv', header: 'sklearn' },
  'breast-cancer': { file: 'breast_cancer.csv', header: 'sklearn' },
  'uci-digits': {
    file: 'digits.csv.gz',
    header: 'none',
    sampleShape: [8, 8, 1],
    classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
  },
};

/** The directory of the bundled CSV files (`data/uci/` beside `src/` and `dist/`). */
export function uciDataDirectory(): string {
  return fileURLToPath(new URL('../data/uci/', import.meta.url));
}

/** The bundled file of a UCI set (its size is what `listDatasets({ sizes: true })` reports). */
export function uciFile(name: UciName): string {
  return uciDataDirectory() + FILES[name].file;
}

/**
 * A UCI tabular set (UCI Machine Learning Repository, CC BY 4.0; the copies scikit-learn 1.2.1 ships), used by the
 * Bregman-learning literature (Siahkamari et al., "Learning to Approximate a Bregman Divergence", NeurIPS 2020):
 *
 * - `iris`: 150 × 4, 3 classes (Fisher 1936);
 * - `wine`: 178 × 13, 3 classes;
 * - `breast-cancer`: 569 × 30, 2 classes (Wisconsin Diagnostic; 0 = malignant, 1 = benign);
 * - `uci-digits`: 1,797 optical digits, 8 × 8 × 1 with values 0–16 (raw, not rescaled), 10 classes.
 *
 * Features are raw: standardise them with {@link Standardizer} fitted on the training part.
 */
export function loadUci(name: UciName): LabelledData {
  const entry = FILES[name];
  if (!entry) {
    throw new DatasetError(
      'loadUci',
      'NOT_FOUND',
      `expected one of ${Object.keys(FILES).join(', ')}, got ${JSON.stringify(name)}`,
    );
  }
  const path = uciDataDirectory() + entry.file;
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (cause) {
    throw new DatasetError(
      'loadUci',
      'NOT_FOUND',
      `expected the bundled file ${path}, got ${(cause as Error).message}`,
      { cause },
    );
  }
  const text = (entry.file.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
  const data = parseLabelledCsv(text, {
    source: path,
    header: entry.header,
    name,
    ...(entry.sampleShape ? { sampleShape: entry.sampleShape } : {}),
  });
  return entry.classNames ? { ...data, classNames: entry.classNames } : data;
}
