// The model: load, embed, divergences, predictions.
export { BregmanModel, MANIFEST_FILE } from './bregman-model';
export type { LoadModelOptions, ModelEvaluateOptions, ModelIndexChoice } from './bregman-model';
export type { EmbedOptions } from './indexable-model';
export type { RawInput } from './raw-input';
export type { Labels } from './labels';
// Its files: the manifest and where files come from or go to.
export { MODEL_FORMAT, MODEL_SCHEMA_VERSION } from './model-manifest';
export type { ModelInputSpec, ModelManifest } from './model-manifest';
export { parseModelManifest } from './parse-model-manifest';
export { isModelSink, isModelSource } from './model-source';
export type { FetchLike, FileLike, ModelSink, ModelSource } from './model-source';
export type { ModelLocation, ModelTarget } from './model-location';
export { urlSource } from './url-source';
export type { UrlSourceOptions } from './url-source';
export { fileListSource } from './file-list-source';
export { MemoryFiles } from './memory-files';
export type { AnnBuildOptions, AnnIndex, AnnIndexProvider, ModelHost } from './model-host';
// Indexes: search, match, predict, save.
export { BregmanModelIndex } from './bregman-model-index';
export type {
  CentroidDivergences,
  IndexSearchOptions,
  IndexSearchResult,
  MatchOptions,
  MatchResult,
  ModelIndexOptions,
  Prediction,
  PredictOptions,
  SaveIndexOptions,
} from './bregman-model-index';
export { INDEX_FORMAT, INDEX_HEADER, INDEX_VERSION } from './index-files';
export type { ArrayFileEntry, IndexHeader } from './index-files';
export { classCentroids } from './class-centroids';
export type { ClassCentroids } from './class-centroids';
export type { VoteWeights } from './knn-vote';
export { chooseThreshold } from './choose-threshold';
export type { ThresholdChoice, ThresholdPair } from './choose-threshold';
export { ModelError } from './model-error';
