import { DatasetError } from './dataset-error';
import { type LabelledData, validateLabelledData } from './labelled-data';
import { type IdxArray, readIdxFile } from './read-idx';

/** Options of {@link loadIdxDataset}. */
export interface IdxDatasetOptions {
  /** Name given to the data. Default `'idx'`. */
  readonly name?: string;
  /** Number of classes. Default: largest label + 1. */
  readonly numClasses?: number;
  readonly classNames?: readonly string[];
}

/** Checks an IDX image file is uint8 [N, rows, cols] and returns N. */
function checkImages(images: IdxArray, path: string, component: string): number {
  if (images.dtype !== 'uint8' || images.dims.length !== 3) {
    throw new DatasetError(
      component,
      'BAD_FORMAT',
      `${path}: expected uint8 images of dims [N, rows, cols], got ${images.dtype} of dims [${images.dims.join(', ')}]`,
    );
  }
  return images.dims[0];
}

/**
 * Images and labels of the MNIST family (MNIST, Fashion-MNIST, KMNIST, EMNIST) from one or more pairs of IDX files
 * (raw or gzip), concatenated in the order given: features = pixel/255 ∈ [0, 1], sample shape [rows, cols, 1].
 * When two pairs are given (train, test), `predefinedSplit` records them.
 *
 * Errors name the file: non-uint8 or wrongly shaped files, and a label count that differs from the image count.
 *
 * ```ts
 * const fashion = await loadIdxDataset([
 *   ['train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz'],
 *   ['t10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz'],
 * ], { name: 'fashion-mnist' });
 * ```
 */
export async function loadIdxDataset(
  pairs: ReadonlyArray<readonly [imagesPath: string, labelsPath: string]>,
  options: IdxDatasetOptions = {},
): Promise<LabelledData> {
  const decoded: DecodedIdxPair[] = [];
  for (const [imagesPath, labelsPath] of pairs) {
    decoded.push({
      images: await readIdxFile(imagesPath),
      imagesSource: imagesPath,
      labels: await readIdxFile(labelsPath),
      labelsSource: labelsPath,
    });
  }
  return idxPairsToData(decoded, options);
}

/** An images file and its labels file, decoded, with the names their errors use. */
export interface DecodedIdxPair {
  readonly images: IdxArray;
  readonly imagesSource: string;
  readonly labels: IdxArray;
  readonly labelsSource: string;
}

/**
 * The checks and assembly of {@link loadIdxDataset} for pairs already decoded (by {@link parseIdx} on bytes the caller
 * read, e.g. to fingerprint exactly what is parsed).
 */
export function idxPairsToData(
  pairs: readonly DecodedIdxPair[],
  options: IdxDatasetOptions = {},
  component = 'loadIdxDataset',
): LabelledData {
  const parts: { pixels: Uint8Array; labels: Uint8Array; rows: number; cols: number }[] = [];
  for (const { images, imagesSource: imagesPath, labels, labelsSource: labelsPath } of pairs) {
    const n = checkImages(images, imagesPath, component);
    if (labels.dtype !== 'uint8' || labels.dims.length !== 1) {
      throw new DatasetError(
        component,
        'BAD_FORMAT',
        `${labelsPath}: expected uint8 labels of dims [N], got ${labels.dtype} of dims [${labels.dims.join(', ')}]`,
      );
    }
    if (labels.dims[0] !== n) {
      throw new DatasetError(
        component,
        'BAD_FORMAT',
        `${labelsPath}: expected ${n} labels (one per image of ${imagesPath}), got ${labels.dims[0]} (label count ≠ image count)`,
      );
    }
    parts.push({
      pixels: images.data as Uint8Array,
      labels: labels.data as Uint8Array,
      rows: images.dims[1],
      cols: images.dims[2],
    });
  }
  if (parts.length === 0) {
    throw new DatasetError(component, 'INVALID_ARGUMENT', 'expected at least one [images, labels] pair, got none');
  }
  const { rows, cols } = parts[0];
  if (parts.some((p) => p.rows !== rows || p.cols !== cols)) {
    throw new DatasetError(
      component,
      'INVALID_SHAPE',
      `expected every image file to hold ${rows} × ${cols} images, got ${parts.map((p) => `${p.rows} × ${p.cols}`).join(', ')}`,
    );
  }
  const total = parts.reduce((a, p) => a + p.labels.length, 0);
  const features = new Float32Array(total * rows * cols);
  const labels = new Int32Array(total);
  let offset = 0;
  let maxLabel = 0;
  for (const part of parts) {
    const base = offset * rows * cols;
    for (let i = 0; i < part.pixels.length; i++) features[base + i] = part.pixels[i] / 255;
    for (let i = 0; i < part.labels.length; i++) {
      labels[offset + i] = part.labels[i];
      if (part.labels[i] > maxLabel) maxLabel = part.labels[i];
    }
    offset += part.labels.length;
  }
  const range = (from: number, to: number) => Int32Array.from({ length: to - from }, (_, i) => from + i);
  const data: LabelledData = {
    name: options.name ?? 'idx',
    features,
    labels,
    sampleShape: [rows, cols, 1],
    numClasses: options.numClasses ?? maxLabel + 1,
    ...(options.classNames ? { classNames: options.classNames } : {}),
    ...(parts.length === 2
      ? { predefinedSplit: { train: range(0, parts[0].labels.length), test: range(parts[0].labels.length, total) } }
      : {}),
  };
  return validateLabelledData(data, component);
}
