import { access } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { DataFileContents } from './data-file-contents';
import { DatasetError } from './dataset-error';
import { readHashedFile } from './hashed-file';
import { idxPairsToData } from './load-idx-dataset';
import { parseIdx } from './read-idx';

/** An IDX file name: `…idx<rank>-ubyte`, optionally gzip'ed (`train-images-idx3-ubyte.gz`, `t10k-images.idx3-ubyte`). */
export const IDX_NAME = /idx\d-ubyte(\.gz)?$/i;

/**
 * The labels file of an IDX images file, beside it: `images` → `labels` and `idx3` → `idx1` in its name, gzip'ed as
 * the images file or not (`train-images-idx3-ubyte.gz` → `train-labels-idx1-ubyte.gz`, then without `.gz`).
 */
export function idxLabelsCandidates(imagesFile: string): string[] {
  const name = basename(imagesFile);
  const stem = name.replace(/\.gz$/i, '');
  const labels = stem.replace(/images(?!.*images)/i, 'labels').replace(/idx3-ubyte$/i, 'idx1-ubyte');
  if (labels === stem) return [];
  const gz = /\.gz$/i.test(name);
  return gz ? [`${labels}.gz`, labels] : [labels, `${labels}.gz`];
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/**
 * An IDX images file (uint8 [N, rows, cols], e.g. an MNIST-family file, raw or gzip) and its labels file (`labels`,
 * or the one found by {@link idxLabelsCandidates}), checked and assembled by the catalogue's own IDX loader:
 * pixels / 255, sample shape [rows, cols, 1].
 */
export async function readIdxFiles(
  path: string,
  options: { readonly labels?: string },
  component = 'readIdxFiles',
): Promise<DataFileContents> {
  if (/idx1-ubyte(\.gz)?$/i.test(path)) {
    throw new DatasetError(
      component,
      'INVALID_ARGUMENT',
      `expected the IDX images file (…idx3-ubyte), got the labels file ${path} (labels are found beside the images)`,
    );
  }
  let labelsPath = options.labels;
  if (labelsPath === undefined) {
    const candidates = idxLabelsCandidates(path);
    for (const name of candidates) {
      if (await exists(join(dirname(path), name))) {
        labelsPath = join(dirname(path), name);
        break;
      }
    }
    if (labelsPath === undefined) {
      throw new DatasetError(
        component,
        'NOT_FOUND',
        `expected a labels file beside the IDX images ${path}${candidates.length ? ` (${candidates.join(' or ')})` : ''}, got none (give its path as labels)`,
      );
    }
  }
  const imagesFile = await readHashedFile(path, component);
  const labelsFile = await readHashedFile(labelsPath, component);
  const data = idxPairsToData(
    [
      {
        images: parseIdx(imagesFile.bytes, path),
        imagesSource: path,
        labels: parseIdx(labelsFile.bytes, labelsPath),
        labelsSource: labelsPath,
      },
    ],
    {},
    component,
  );
  const [height, width] = data.sampleShape;
  return {
    features: data.features,
    sampleShape: data.sampleShape,
    rawLabels: Array.from(data.labels, (y) => String(y)),
    input: { kind: 'image', height, width, channels: 1, resize: 'none', divisor: 255 },
    files: [imagesFile, labelsFile].map(({ path, sha256 }) => ({ path, sha256 })),
  };
}
