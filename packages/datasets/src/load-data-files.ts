import { basename, dirname, resolve } from 'node:path';
import type { DataFileContents } from './data-file-contents';
import { type DataFileFormat, detectDataFileFormat } from './data-file-format';
import { DatasetError } from './dataset-error';
import { fingerprintFiles } from './hashed-file';
import { indexClasses } from './index-classes';
import type { ImageFit, InputSpec } from './input-spec';
import { type LabelledData, validateLabelledData } from './labelled-data';
import { readIdxFiles } from './read-idx-files';
import { readImageFolder } from './read-image-folder';
import { readNpyFiles, readNpzFile } from './read-npy-files';
import { readTableFile } from './read-table-file';

/** Options of {@link loadDataFiles}; each applies to some formats only, and giving it for another is an error. */
export interface DataFilesOptions {
  /** Name given to the data. Default: the path's last component. All formats. */
  readonly name?: string;
  /** CSV/TSV: the header name of the label column. Default `'label'`. */
  readonly labelColumn?: string;
  /**
   * NPY: the labels `.npy`; IDX: the labels IDX file. Default: found beside the features/images file (NPY:
   * `x_train.npy` → `y_train.npy`, `X.npy` → `y.npy`, `features.npy` → `labels.npy`, `emb.npy` → `emb_labels.npy`;
   * IDX: `train-images-idx3-ubyte.gz` → `train-labels-idx1-ubyte.gz`).
   */
  readonly labels?: string;
  /** NPZ: the name of the features array. Default: the one of `x`, `X`, `features` present. */
  readonly featuresArray?: string;
  /** NPZ: the name of the labels array. Default: the one of `y`, `Y`, `labels` present. */
  readonly labelsArray?: string;
  /** Image folder: resize every image to size × size, or to [height, width]. Default: no resize (one size required). */
  readonly imageSize?: number | readonly [height: number, width: number];
  /** Image folder: 1 (grey) or 3 (RGB). Default: 1 when every image is greyscale, else 3. */
  readonly channels?: 1 | 3;
  /** Image folder with `imageSize`: `'cover'` (crop the centre, default), `'fill'` (stretch) or `'contain'` (pad). */
  readonly fit?: ImageFit;
}

/** Users' data loaded from files: a {@link LabelledData} plus what a run records and a saved model needs. */
export interface LoadedFiles extends LabelledData {
  readonly format: DataFileFormat;
  /** The raw labels, sorted (numerically when all are integers): label i is `classNames[i]`. */
  readonly classNames: readonly string[];
  /**
   * SHA-256 (hex) over the names and bytes of every file read: of `sha256sum`'s lines for them, sorted by name, names
   * relative to the data folder (the path itself for an image folder, else its folder). Any changed byte or renamed
   * file changes it; options (e.g. `imageSize`) do not: they are in `input`.
   */
  readonly fingerprint: string;
  /** The absolute paths of the files read, in the order read. */
  readonly files: readonly string[];
  /** How raw input becomes these features (column names, image size, channels, scaling), to save with a model. */
  readonly input: InputSpec;
}

const COMPONENT = 'loadDataFiles';

const OPTIONS_FOR: Record<DataFileFormat, readonly (keyof DataFilesOptions)[]> = {
  csv: ['name', 'labelColumn'],
  tsv: ['name', 'labelColumn'],
  npy: ['name', 'labels'],
  npz: ['name', 'featuresArray', 'labelsArray'],
  idx: ['name', 'labels'],
  'image-folder': ['name', 'imageSize', 'channels', 'fit'],
};
const ALL_OPTIONS = [...new Set(Object.values(OPTIONS_FOR).flat())];
const FITS: readonly string[] = ['cover', 'fill', 'contain'];
/** Larger images would need gigabytes per thousand samples; a typo (2800 for 28) should fail, not swap. */
const MAX_IMAGE_SIDE = 4096;

function invalid(message: string): never {
  throw new DatasetError(COMPONENT, 'INVALID_ARGUMENT', message);
}

/** Checks every given option's value and that it applies to `format`; returns imageSize as [height, width]. */
function checkOptions(options: DataFilesOptions, format: DataFileFormat, path: string): [number, number] | undefined {
  const given = Object.keys(options).filter((k) => options[k as keyof DataFilesOptions] !== undefined);
  for (const key of given) {
    if (!(ALL_OPTIONS as string[]).includes(key))
      invalid(`expected options among ${ALL_OPTIONS.join(', ')}, got ${key}`);
    if (!(OPTIONS_FOR[format] as string[]).includes(key)) {
      invalid(`expected only ${OPTIONS_FOR[format].join(', ')} for ${format} data (${path}), got ${key}`);
    }
  }
  for (const key of ['name', 'labelColumn', 'labels', 'featuresArray', 'labelsArray'] as const) {
    const value: unknown = options[key];
    if (value !== undefined && (typeof value !== 'string' || value.trim() === '')) {
      invalid(`expected ${key} to be a non-empty string, got ${JSON.stringify(value)}`);
    }
  }
  if (options.channels !== undefined && options.channels !== 1 && options.channels !== 3) {
    invalid(`expected channels 1 (grey) or 3 (RGB), got ${JSON.stringify(options.channels)}`);
  }
  if (options.fit !== undefined && !FITS.includes(options.fit)) {
    invalid(`expected fit among ${FITS.join(', ')}, got ${JSON.stringify(options.fit)}`);
  }
  if (options.fit !== undefined && options.imageSize === undefined) {
    invalid(`expected fit only with imageSize (it says how images are resized), got fit ${options.fit} alone`);
  }
  if (options.imageSize === undefined) return undefined;
  const size = typeof options.imageSize === 'number' ? [options.imageSize, options.imageSize] : options.imageSize;
  if (
    !Array.isArray(size) ||
    size.length !== 2 ||
    !size.every((s) => Number.isInteger(s) && s >= 1 && s <= MAX_IMAGE_SIDE)
  ) {
    invalid(
      `expected imageSize to be an integer in [1, ${MAX_IMAGE_SIDE}] or [height, width] of such, got ${JSON.stringify(options.imageSize)}`,
    );
  }
  return [size[0], size[1]];
}

/**
 * Loads users' own labelled data from `path`, the format found from the path ({@link detectDataFileFormat}):
 *
 * - **CSV / TSV** with a header row: the `labelColumn` (default `label`) holds class labels (text or integers), every
 *   other column is a numeric feature (decimal notation; NaN, Infinity and float32 overflow refused). Quoted fields.
 * - **NPY**: a features `.npy` of shape (samples, …), float32/float64/uint8, and a labels `.npy` of integers or strings
 *   (`labels`, or found beside it); **NPZ**: the same two arrays in one `np.savez` / `np.savez_compressed` archive.
 *   Values are kept as stored (uint8 is not rescaled).
 * - **IDX**: an images file (uint8 [N, rows, cols], raw or gzip) and its labels file; pixels / 255.
 * - **Image folder**: one sub-folder per class of PNG/JPEG images; pixels / 255, shape [height, width, channels];
 *   `imageSize`, `channels`, `fit` as in {@link DataFilesOptions}. sharp is loaded only here.
 *
 * Labels become 0..C−1 in the order of the sorted class names (numeric order when every label is an integer). At least
 * two classes are required; class sizes a training protocol needs are the caller's to check ({@link classSizes}).
 *
 * Errors are {@link DatasetError}s naming the file: `NOT_FOUND` for a missing path or labels file, `INVALID_ARGUMENT`
 * for an unsupported path or an unusable option, `BAD_FORMAT` for malformed content. Nothing is written.
 *
 * ```ts
 * const data = await loadDataFiles('flowers/', { imageSize: 64, channels: 3 });
 * console.log(data.format, data.sampleShape, data.classNames, data.fingerprint.slice(0, 12));
 * ```
 */
export async function loadDataFiles(path: string, options: DataFilesOptions = {}): Promise<LoadedFiles> {
  if (typeof path !== 'string' || path === '') invalid(`expected a path, got ${JSON.stringify(path)}`);
  if (options === null || typeof options !== 'object') invalid(`expected an options object, got ${String(options)}`);
  const format = await detectDataFileFormat(path, COMPONENT);
  const imageSize = checkOptions(options, format, path);
  let contents: DataFileContents;
  switch (format) {
    case 'csv':
    case 'tsv':
      contents = await readTableFile(
        path,
        { delimiter: format === 'csv' ? ',' : '\t', labelColumn: options.labelColumn ?? 'label' },
        COMPONENT,
      );
      break;
    case 'npy':
      contents = await readNpyFiles(path, { labels: options.labels }, COMPONENT);
      break;
    case 'npz':
      contents = await readNpzFile(
        path,
        { featuresArray: options.featuresArray, labelsArray: options.labelsArray },
        COMPONENT,
      );
      break;
    case 'idx':
      contents = await readIdxFiles(path, { labels: options.labels }, COMPONENT);
      break;
    case 'image-folder':
      contents = await readImageFolder(path, { imageSize, channels: options.channels, fit: options.fit }, COMPONENT);
      break;
  }
  const { labels, classNames } = indexClasses(contents.rawLabels);
  if (classNames.length < 2) {
    throw new DatasetError(
      COMPONENT,
      'BAD_FORMAT',
      `${path}: expected at least two classes, got one (${JSON.stringify(classNames[0])}) in ${labels.length} samples`,
    );
  }
  const data = validateLabelledData(
    {
      name: options.name ?? basename(resolve(path)),
      features: contents.features,
      labels,
      sampleShape: contents.sampleShape,
      numClasses: classNames.length,
      classNames,
    },
    COMPONENT,
  );
  const base = format === 'image-folder' ? path : dirname(path);
  return {
    ...data,
    classNames,
    format,
    fingerprint: fingerprintFiles(contents.files, base),
    files: contents.files.map((f) => f.path),
    input: contents.input,
  };
}
