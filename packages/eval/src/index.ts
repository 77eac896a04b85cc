export { EvaluationError } from './evaluation-error';
export type { Neighbours } from './neighbours';
export { retrievalMetrics, RETRIEVAL_METRIC_NAMES } from './retrieval-metrics';
export type { RetrievalMetricName, RetrievalMetrics, RetrievalMetricsOptions } from './retrieval-metrics';
export { resolveK } from './resolve-k';
export type { KSpec } from './resolve-k';
export { clusteringMetrics } from './clustering-metrics';
export type { ClusteringMetrics } from './clustering-metrics';
export {
  adjustedMutualInformation,
  expectedMutualInformation,
  normalizedMutualInformation,
} from './mutual-information';
export { adjustedRandIndex, randIndex } from './rand-index';
export { purity } from './purity';
export { pairMetrics } from './pair-metrics';
export type { PairMetrics } from './pair-metrics';
export { exactKnn, DEFAULT_QUERY_BLOCK, DEFAULT_REFERENCE_BLOCK } from './exact-knn';
export type { ExactKnnOptions, QuerySlot } from './exact-knn';
export type { KnnWorkerPool } from './search-on-pool';
export { evaluate } from './evaluate';
export type { ClusteringMethod, EvaluateOptions, Evaluation } from './evaluate';
export { BregmanAnnIndex } from './bregman-ann-index';
export type { AnnSearchOptions, BregmanAnnIndexOptions } from './bregman-ann-index';
export { annRecall, neighbourRecall } from './ann-recall';
export type { AnnRecallPoint } from './ann-recall';

// Uncertainty: calibration, selective prediction, unseen-class detection, temperature scaling.
export { calibrationMetrics } from './calibration-metrics';
export type { CalibrationMetrics, CalibrationOptions, ProbabilityMatrix, ReliabilityBin } from './calibration-metrics';
export { selectivePrediction } from './selective-prediction';
export type { RiskCoveragePoint, SelectivePrediction } from './selective-prediction';
export { fprAtTpr, rocAuc } from './unseen-class-detection';
export { fitTemperature, temperatureNll } from './fit-temperature';
export type { FitTemperatureOptions, FittedTemperature } from './fit-temperature';
