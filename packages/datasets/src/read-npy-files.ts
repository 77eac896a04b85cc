import { readdir } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { DataFileContents } from './data-file-contents';
import { DatasetError } from './dataset-error';
import { type HashedFile, readHashedFile } from './hashed-file';
import { FLOAT32_MAX, checkFeatureValue } from './numeric-rows';
import { type NpyArray, parseNpy } from './parse-npy';
import { zipEntries } from './zip-entries';

/** Words of a features file's name and the words its labels file has in their place (see {@link labelsFileCandidates}). */
const LABEL_WORDS: Record<string, readonly string[]> = {
  x: ['y'],
  X: ['y', 'Y'],
  features: ['labels'],
  data: ['labels'],
  images: ['labels'],
  embeddings: ['labels'],
};

/**
 * The names a features `.npy`'s labels file may have, beside it: one word of its name swapped (words are separated by
 * `_`, `-` or `.`; `x`→`y`, `X`→`y` or `Y`, `features`/`data`/`images`/`embeddings`→`labels`), or `_labels`, `-labels`
 * or `.labels` appended: `x_train.npy` → `y_train.npy`, `X.npy` → `y.npy`, `train-features.npy` → `train-labels.npy`,
 * `emb.npy` → `emb_labels.npy`.
 */
export function labelsFileCandidates(featuresFile: string): string[] {
  const stem = basename(featuresFile).replace(/\.npy$/i, '');
  const words = stem.split(/([_.-])/);
  const names: string[] = [];
  words.forEach((word, i) => {
    for (const swap of LABEL_WORDS[word] ?? []) names.push(`${words.map((w, j) => (j === i ? swap : w)).join('')}.npy`);
  });
  names.push(`${stem}_labels.npy`, `${stem}-labels.npy`, `${stem}.labels.npy`);
  return [...new Set(names)];
}

/** The labels file beside a features `.npy` by {@link labelsFileCandidates}: exactly one must exist. */
async function findLabelsFile(featuresPath: string, component: string): Promise<string> {
  const dir = dirname(featuresPath);
  const present = new Set(await readdir(dir).catch(() => [] as string[]));
  const candidates = labelsFileCandidates(featuresPath);
  const found = candidates.filter((name) => present.has(name));
  if (found.length === 0) {
    throw new DatasetError(
      component,
      'NOT_FOUND',
      `expected a labels file beside ${featuresPath} (${candidates.join(', ')}), got none (give its path as labels)`,
    );
  }
  if (found.length > 1) {
    throw new DatasetError(
      component,
      'INVALID_ARGUMENT',
      `expected one labels file beside ${featuresPath}, got ${found.join(' and ')} (choose one with labels)`,
    );
  }
  return join(dir, found[0]);
}

const FEATURE_DTYPES = new Set(['float32', 'float64', 'uint8']);

/**
 * Features and raw labels from two decoded arrays: features of shape [N, …] (float32, float64 or uint8, every value
 * checked by {@link checkFeatureValue}: NaN, ±Infinity and float64 values beyond float32's range are refused, naming
 * the sample and the value's index within it), labels of shape [N] or [N, 1] (integers or strings).
 */
function arraysToContents(
  x: NpyArray,
  xSource: string,
  y: NpyArray,
  ySource: string,
  files: readonly HashedFile[],
  component: string,
): DataFileContents {
  const fail = (source: string, message: string): never => {
    throw new DatasetError(component, 'BAD_FORMAT', `${source}: ${message}`);
  };
  if (!FEATURE_DTYPES.has(x.dtype)) {
    fail(xSource, `expected float32, float64 or uint8 features, got ${x.dtype} (numpy: x.astype('float32'))`);
  }
  if (x.shape.length < 2 || x.shape.some((s) => s === 0)) {
    fail(xSource, `expected features of shape (samples, features…) with no empty axis, got (${x.shape.join(', ')})`);
  }
  const n = x.shape[0];
  if (y.dtype === 'float32' || y.dtype === 'float64') {
    fail(ySource, `expected integer or string labels, got ${y.dtype} (numpy: y.astype(int))`);
  }
  if (!(y.shape.length === 1 || (y.shape.length === 2 && y.shape[1] === 1))) {
    fail(ySource, `expected labels of shape (samples,), got (${y.shape.join(', ')})`);
  }
  if (y.shape[0] !== n) {
    fail(
      ySource,
      `expected ${n} labels (one per sample of ${xSource}), got ${y.shape[0]} (label count ≠ sample count)`,
    );
  }
  const sampleShape = x.shape.slice(1);
  const d = x.data.length / n;
  const values = x.data as Float32Array | Float64Array | Uint8Array;
  const features = values instanceof Float32Array ? values : Float32Array.from(values);
  // uint8 is always finite; otherwise one cheap scan, with the row and column worked out only for a bad value.
  if (!(values instanceof Uint8Array))
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (!Number.isFinite(v) || Math.abs(v) > FLOAT32_MAX)
        checkFeatureValue(v, { source: xSource, row: Math.floor(i / d) + 1, column: (i % d) + 1 }, component);
    }
  const rawLabels = Array.from(y.data as ArrayLike<number | bigint | string>, (v) => String(v));
  return {
    features,
    sampleShape,
    rawLabels,
    input: { kind: 'array', dtype: x.dtype, sampleShape },
    files: files.map(({ path, sha256 }) => ({ path, sha256 })),
  };
}

/**
 * A features `.npy` and its labels `.npy`: `labelsPath`, or the one file beside it named by
 * {@link labelsFileCandidates} (none → `NOT_FOUND`, several → `INVALID_ARGUMENT`).
 */
export async function readNpyFiles(
  path: string,
  options: { readonly labels?: string },
  component = 'readNpyFiles',
): Promise<DataFileContents> {
  const xFile = await readHashedFile(path, component);
  const labelsPath = options.labels ?? (await findLabelsFile(path, component));
  const yFile = await readHashedFile(labelsPath, component);
  const x = parseNpy(xFile.bytes, path, component);
  const y = parseNpy(yFile.bytes, labelsPath, component);
  return arraysToContents(x, path, y, labelsPath, [xFile, yFile], component);
}

const FEATURE_ARRAYS = ['x', 'X', 'features'];
const LABEL_ARRAYS = ['y', 'Y', 'labels'];

/**
 * An `.npz` (what `np.savez` / `np.savez_compressed` write): the features array is `featuresArray` or the one of
 * `x`, `X`, `features` present; the labels array is `labelsArray` or the one of `y`, `Y`, `labels` present.
 */
export async function readNpzFile(
  path: string,
  options: { readonly featuresArray?: string; readonly labelsArray?: string },
  component = 'readNpzFile',
): Promise<DataFileContents> {
  const file = await readHashedFile(path, component);
  const entries = zipEntries(file.bytes, path, component);
  const arrays = new Map(entries.filter((e) => e.name.endsWith('.npy')).map((e) => [e.name.slice(0, -4), e]));
  const listed = [...arrays.keys()].map((k) => JSON.stringify(k)).join(', ') || 'none';
  const pick = (given: string | undefined, defaults: readonly string[], what: string, option: string) => {
    const names = given !== undefined ? [given] : defaults.filter((name) => arrays.has(name));
    if (names.length !== 1 || !arrays.has(names[0])) {
      const wanted = (given !== undefined ? [given] : defaults).map((k) => JSON.stringify(k)).join(' or ');
      throw new DatasetError(
        component,
        'BAD_FORMAT',
        `${path}: expected one ${what} array named ${wanted}, got the arrays ${listed} (choose one with ${option})`,
      );
    }
    return names[0];
  };
  const xName = pick(options.featuresArray, FEATURE_ARRAYS, 'features', 'featuresArray');
  const yName = pick(options.labelsArray, LABEL_ARRAYS, 'labels', 'labelsArray');
  const xSource = `${path}[${xName}]`;
  const ySource = `${path}[${yName}]`;
  const x = parseNpy(arrays.get(xName)!.read(), xSource, component);
  const y = parseNpy(arrays.get(yName)!.read(), ySource, component);
  return arraysToContents(x, xSource, y, ySource, [file], component);
}
