import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** The Debian package `dataset-fashion-mnist` installs the four IDX files here. */
export const DEBIAN_FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';

const STEMS = [
  'train-images-idx3-ubyte',
  'train-labels-idx1-ubyte',
  't10k-images-idx3-ubyte',
  't10k-labels-idx1-ubyte',
];

/** The four MNIST-style IDX files in a directory, gzip or raw. */
export interface IdxFileSet {
  readonly directory: string;
  readonly trainImages: string;
  readonly trainLabels: string;
  readonly testImages: string;
  readonly testLabels: string;
}

/**
 * The first of `directories` holding the four standard MNIST-family files (`train-images-idx3-ubyte`,
 * `train-labels-idx1-ubyte`, `t10k-images-idx3-ubyte`, `t10k-labels-idx1-ubyte`, each raw or `.gz`), or null.
 */
export function findIdxFiles(directories: readonly string[]): IdxFileSet | null {
  for (const directory of directories) {
    const found = STEMS.map((stem) =>
      [`${stem}.gz`, stem].map((f) => join(directory, f)).find((path) => existsSync(path)),
    );
    if (found.every((f) => f !== undefined)) {
      const [trainImages, trainLabels, testImages, testLabels] = found as string[];
      return { directory, trainImages, trainLabels, testImages, testLabels };
    }
  }
  return null;
}
