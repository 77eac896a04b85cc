// Node-only parts of datasets: everything that reads files, downloads or decodes images with sharp. The main entry
// (`@empirical-bregman/datasets`) stays importable in a browser; `tools/checks/check-browser-bundles.mjs` checks.
export type { DatasetOptionsMap, DatasetListing, FileDatasetOptions } from '../load-dataset';
export { listDatasets, loadDataset, isDatasetName, DEFAULT_DATASET } from '../load-dataset';
export type { FetchOptions } from '../fetch-dataset';
export { fetchDataset } from '../fetch-dataset';
export type { NpmClientOptions, NpmFetchOptions, PackCommand } from '../fetch-npm-package';
export { fetchNpmPackage, npmPack, npmPackageFolder, sriSha512File } from '../fetch-npm-package';
export { dataDirectory } from '../data-directory';
export type { MnistDigitsOptions } from '../load-mnist-digits';
export { loadMnistDigits } from '../load-mnist-digits';
export type { UciName } from '../load-uci';
export { loadUci } from '../load-uci';
export type { IdxArray, IdxDtype } from '../read-idx';
export { parseIdx, readIdxFile } from '../read-idx';
export type { IdxDatasetOptions } from '../load-idx-dataset';
export { loadIdxDataset } from '../load-idx-dataset';
export type { IdxFileSet } from '../find-idx-files';
export { findIdxFiles, DEBIAN_FASHION_MNIST_DIR } from '../find-idx-files';
export { parseNpz } from '../parse-npz';
export type { DataFilesOptions, LoadedFiles } from '../load-data-files';
export { loadDataFiles } from '../load-data-files';
export type { DataFileFormat } from '../data-file-format';
export { detectDataFileFormat, SUPPORTED_DATA_FILES } from '../data-file-format';
export type { HanziOptions } from '../hanzi/load-hanzi';
export {
  loadHanzi,
  hanziDirectory,
  hanziOrder,
  listHanziCharacters,
  DEFAULT_HANZI_CLASSES,
} from '../hanzi/load-hanzi';
export type { EmojiOptions, EmojiVendor } from '../load-emoji';
export { EMOJI_VENDORS, emojiPackageFolder, loadEmoji } from '../load-emoji';
export type { CifarOptions } from '../cifar-binary';
export { parseCifarBinary, loadCifar } from '../cifar-binary';
export { extractTar } from '../extract-tar';
export type { DownloadOptions, DownloadProgress } from '../download-file';
export { downloadFile, sha256File } from '../download-file';
