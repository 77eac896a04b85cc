export { EvaluationError } from './evaluation-error';
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
export { evaluate } from './evaluate';
export type { ClusteringMethod, EvaluateOptions, Evaluation } from './evaluate';
// Uncertainty: calibration, selective prediction, unseen-class detection, temperature scaling.
export { calibrationMetrics } from './calibration-metrics';
export type { CalibrationMetrics, CalibrationOptions, ProbabilityMatrix, ReliabilityBin } from './calibration-metrics';
export { selectivePrediction } from './selective-prediction';
export type { RiskCoveragePoint, SelectivePrediction } from './selective-prediction';
export { centroidUncertainty, fprAtTpr, rocAuc, unseenDetection } from './unseen-class-detection';
export type { CentroidUncertainty, UnseenDetection } from './unseen-class-detection';
export { fitKnnKernel, knnKernelPosterior } from './knn-kernel-posterior';
export type { FittedKnnKernel, KnnKernelOptions, KnnNeighbours } from './knn-kernel-posterior';
export { fitTemperature, temperatureNll } from './fit-temperature';
export { centroidPosterior } from './centroid-posterior';
export type { CentroidPosteriorOptions } from './centroid-posterior';
export type { FitTemperatureOptions, FittedTemperature } from './fit-temperature';
