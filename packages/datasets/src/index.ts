export { DatasetError } from './dataset-error';
export type { LabelledData, Batch, ClassSize } from './labelled-data';
export { validateLabelledData, subsetData, gatherBatch, classCounts, classSizes, sampleSize } from './labelled-data';

// Catalogue; loading by name, file and network IO: `@empirical-bregman/datasets/node`.
export type { DatasetName, DatasetInfo, DatasetSource } from './dataset-catalogue';
export type {
  DownloadableName,
  PublishedFile,
  PublishedFileName,
  PublishedPackageName,
} from './published-files';
export { DOWNLOADABLE_DATASETS, PUBLISHED_FILES, PUBLISHED_PACKAGES } from './published-files';
export type { NpmPackage } from './fetch-npm-package';

// Sources.
export type { CellPosition, NumericRows } from './numeric-rows';
export { FLOAT32_MAX, checkFeatureValue, numericRows, parseDecimalCell } from './numeric-rows';
export type { LabelledCsvOptions } from './parse-labelled-csv';
export { parseLabelledCsv } from './parse-labelled-csv';
export type { ImageFit, InputSpec } from './input-spec';
export type { NpyArray, NpyDtype } from './parse-npy';
export { parseNpy } from './parse-npy';
export type { HanziCharacter } from './hanzi/parse-hanzi-character';
export { parseHanziCharacter } from './hanzi/parse-hanzi-character';
export type { HanziVariation } from './hanzi/render-hanzi';
export { renderHanzi, DEFAULT_HANZI_VARIATION, NO_HANZI_VARIATION } from './hanzi/render-hanzi';
export { renderStrokes } from './hanzi/render-strokes';

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
