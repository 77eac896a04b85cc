export { LossesError } from './losses-error';
export type { LabelsLike } from './labels';
export {
  disposeIndices,
  indicesCount,
  pairIndices,
  pairsToTriplets,
  tripletIndices,
  tripletsToPairs,
} from './indices-tuple';
export type { IndicesTuple, PairIndices, TripletIndices } from './indices-tuple';
export { DEFAULT_SCALE } from './divergence-scale';
export type { DivergenceScale } from './divergence-scale';
export type { Reducer } from './reducer';
export { MeanReducer } from './mean-reducer';
export { AvgNonZeroReducer } from './avg-non-zero-reducer';
export { SumReducer } from './sum-reducer';
export { ThresholdReducer } from './threshold-reducer';
export type { ThresholdReducerOptions } from './threshold-reducer';
export { MetricLoss } from './metric-loss';
export type { AnchorSlot, ComputeOptions, LossContext, LossStats, LossTerm, MetricLossOptions } from './metric-loss';
export type { ProxyOptions } from './proxies';
export { ContrastiveLoss } from './contrastive-loss';
export type { ContrastiveLossOptions } from './contrastive-loss';
export { TripletMarginLoss } from './triplet-margin-loss';
export type { TripletMarginLossOptions } from './triplet-margin-loss';
export { MultiSimilarityLoss } from './multi-similarity-loss';
export type { MultiSimilarityLossOptions } from './multi-similarity-loss';
export { LiftedStructureLoss } from './lifted-structure-loss';
export type { LiftedStructureLossOptions } from './lifted-structure-loss';
export { NTXentLoss, InfoNCELoss } from './ntxent-loss';
export type { NTXentLossOptions } from './ntxent-loss';
export { SupConLoss } from './sup-con-loss';
export type { SupConLossOptions } from './sup-con-loss';
export { NCALoss } from './nca-loss';
export type { NCALossOptions } from './nca-loss';
export { ProxyNCALoss } from './proxy-nca-loss';
export type { ProxyNCALossOptions } from './proxy-nca-loss';
export { ProxyAnchorLoss } from './proxy-anchor-loss';
export type { ProxyAnchorLossOptions } from './proxy-anchor-loss';
export { MarginLoss } from './margin-loss';
export type { MarginLossOptions } from './margin-loss';
export { BregmanSoftmaxLoss } from './bregman-softmax-loss';
export type { BregmanSoftmaxLossOptions, BregmanSoftmaxTarget } from './bregman-softmax-loss';
export { DivergenceRegressionLoss } from './divergence-regression-loss';
export type {
  DivergenceRegressionLossOptions,
  RegressionPenalty,
  RegressionStats,
} from './divergence-regression-loss';
export { BaseMiner } from './base-miner';
export type { MinerContext, MinerOptions } from './base-miner';
export { BatchHardMiner } from './batch-hard-miner';
export { BatchEasyHardMiner } from './batch-easy-hard-miner';
export type { BatchEasyHardMinerOptions } from './batch-easy-hard-miner';
export { TripletMarginMiner } from './triplet-margin-miner';
export type { TripletMarginMinerOptions, TripletType } from './triplet-margin-miner';
export { PairMarginMiner } from './pair-margin-miner';
export type { PairMarginMinerOptions } from './pair-margin-miner';
export { MultiSimilarityMiner } from './multi-similarity-miner';
export type { MultiSimilarityMinerOptions } from './multi-similarity-miner';
export { DistanceWeightedMiner } from './distance-weighted-miner';
export type { DistanceWeightedMinerOptions } from './distance-weighted-miner';
