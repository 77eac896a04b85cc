// The package's only public face: everything a user imports is exported here, nothing else is.
export { LossesError } from './losses-error';
// Shared plumbing (utils/): labels, index tuples, the divergence scale.
export type { LabelsLike } from './utils/labels';
export {
  disposeIndices,
  indicesCount,
  pairIndices,
  pairsToTriplets,
  tripletIndices,
  tripletsToPairs,
} from './utils/indices-tuple';
export type { IndicesTuple, PairIndices, TripletIndices } from './utils/indices-tuple';
export { DEFAULT_SCALE } from './utils/divergence-scale';
export type { DivergenceScale } from './utils/divergence-scale';
// Reducers (reducers/): per-element losses → one number.
export type { Reducer, ReductionInfo } from './reducers/reducer';
export { MeanReducer } from './reducers/mean-reducer';
export { AvgNonZeroReducer } from './reducers/avg-non-zero-reducer';
export { SumReducer } from './reducers/sum-reducer';
export { ThresholdReducer } from './reducers/threshold-reducer';
export type { ThresholdReducerOptions } from './reducers/threshold-reducer';
// Reducers: grouping, weighting and per-term reducers.
export { ClassWeightedReducer } from './reducers/class-weighted-reducer';
export type { ClassWeightedReducerOptions } from './reducers/class-weighted-reducer';
export { PerAnchorReducer } from './reducers/per-anchor-reducer';
export type { PerAnchorReducerOptions } from './reducers/per-anchor-reducer';
export { DoNothingReducer } from './reducers/do-nothing-reducer';
export type { UnreducedTerm } from './reducers/do-nothing-reducer';
export { DivisorReducer } from './reducers/divisor-reducer';
export type { DivisorReducerOptions } from './reducers/divisor-reducer';
export { MultipleReducers } from './reducers/multiple-reducers';
export type { MultipleReducersOptions } from './reducers/multiple-reducers';
// Losses (losses/): the MetricLoss base and every loss.
export { MetricLoss } from './losses/metric-loss';
export type {
  AnchorSlot,
  ComputeOptions,
  LossContext,
  LossStats,
  LossTerm,
  MetricLossOptions,
} from './losses/metric-loss';
export type { ProxyOptions } from './losses/proxies';
export { ContrastiveLoss } from './losses/contrastive-loss';
export type { ContrastiveLossOptions } from './losses/contrastive-loss';
export { TripletMarginLoss } from './losses/triplet-margin-loss';
export type { TripletMarginLossOptions } from './losses/triplet-margin-loss';
export { MultiSimilarityLoss } from './losses/multi-similarity-loss';
export type { MultiSimilarityLossOptions } from './losses/multi-similarity-loss';
export { LiftedStructureLoss } from './losses/lifted-structure-loss';
export type { LiftedStructureLossOptions } from './losses/lifted-structure-loss';
export { NTXentLoss, InfoNCELoss } from './losses/ntxent-loss';
export type { NTXentLossOptions } from './losses/ntxent-loss';
export { SupConLoss } from './losses/sup-con-loss';
export type { SupConLossOptions } from './losses/sup-con-loss';
export { NCALoss } from './losses/nca-loss';
export type { NCALossOptions } from './losses/nca-loss';
export { ProxyNCALoss } from './losses/proxy-nca-loss';
export type { ProxyNCALossOptions } from './losses/proxy-nca-loss';
export { ProxyAnchorLoss } from './losses/proxy-anchor-loss';
export type { ProxyAnchorLossOptions } from './losses/proxy-anchor-loss';
export { MarginLoss } from './losses/margin-loss';
export type { MarginLossOptions } from './losses/margin-loss';
export { BregmanSoftmaxLoss } from './losses/bregman-softmax-loss';
export type { BregmanSoftmaxLossOptions, BregmanSoftmaxTarget } from './losses/bregman-softmax-loss';
export { DivergenceRegressionLoss } from './losses/divergence-regression-loss';
export type {
  DivergenceRegressionLossOptions,
  RegressionPenalty,
  RegressionStats,
} from './losses/divergence-regression-loss';
// Pair, ranking and histogram losses (losses/).
export { CircleLoss } from './losses/circle-loss';
export type { CircleLossOptions } from './losses/circle-loss';
export { FastAPLoss } from './losses/fast-ap-loss';
export type { FastAPLossOptions } from './losses/fast-ap-loss';
export { NPairsLoss } from './losses/n-pairs-loss';
export type { NPairsLossOptions } from './losses/n-pairs-loss';
export { TupletMarginLoss } from './losses/tuplet-margin-loss';
export type { TupletMarginLossOptions } from './losses/tuplet-margin-loss';
export { HistogramLoss } from './losses/histogram-loss';
export type { HistogramLossOptions } from './losses/histogram-loss';
export { InstanceLoss } from './losses/instance-loss';
export type { InstanceLossOptions } from './losses/instance-loss';
export { IntraPairVarianceLoss } from './losses/intra-pair-variance-loss';
export type { IntraPairVarianceLossOptions } from './losses/intra-pair-variance-loss';
// Classification losses (losses/): C·K learnable class weights (`proxies`), softmax
// cross-entropy over them.
export { ArcFaceLoss } from './losses/arc-face-loss';
export type { ArcFaceLossOptions } from './losses/arc-face-loss';
export { SubCenterArcFaceLoss } from './losses/sub-center-arc-face-loss';
export type { SubCenterArcFaceLossOptions } from './losses/sub-center-arc-face-loss';
export { CosFaceLoss } from './losses/cos-face-loss';
export type { CosFaceLossOptions } from './losses/cos-face-loss';
export { NormalizedSoftmaxLoss } from './losses/normalized-softmax-loss';
export type { NormalizedSoftmaxLossOptions } from './losses/normalized-softmax-loss';
export { SoftTripleLoss } from './losses/soft-triple-loss';
export type { SoftTripleLossOptions } from './losses/soft-triple-loss';
// Wrappers (wrappers/): losses built from other losses.
export type { LossFunction, Miner } from './wrappers/loss-function';
export { CrossBatchMemory } from './wrappers/cross-batch-memory';
export type { CrossBatchMemoryOptions } from './wrappers/cross-batch-memory';
export { MultipleLosses } from './wrappers/multiple-losses';
export type { MultipleLossesOptions } from './wrappers/multiple-losses';
// Regularizers (regularizers/): attach to any loss as `embeddingRegularizer`, or to a
// loss with weights as `weightRegularizer`.
export type { Regularizer } from './regularizers/regularizer';
export { BaseRegularizer } from './regularizers/base-regularizer';
export type { RegularizerOptions, RegularizerTerm } from './regularizers/base-regularizer';
export { LpRegularizer } from './regularizers/lp-regularizer';
export type { LpRegularizerOptions } from './regularizers/lp-regularizer';
export { ZeroMeanRegularizer } from './regularizers/zero-mean-regularizer';
export { CenterInvariantRegularizer } from './regularizers/center-invariant-regularizer';
export { RegularFaceRegularizer } from './regularizers/regular-face-regularizer';
export { SparseCentersRegularizer } from './regularizers/sparse-centers-regularizer';
export type { SparseCentersRegularizerOptions } from './regularizers/sparse-centers-regularizer';
// Miners (miners/): the BaseMiner base and every miner.
export { BaseMiner } from './miners/base-miner';
export type { MineOptions, MinerContext, MinerOptions } from './miners/base-miner';
export { BatchHardMiner } from './miners/batch-hard-miner';
export { BatchEasyHardMiner } from './miners/batch-easy-hard-miner';
export type { BatchEasyHardMinerOptions } from './miners/batch-easy-hard-miner';
export { TripletMarginMiner } from './miners/triplet-margin-miner';
export type { TripletMarginMinerOptions, TripletType } from './miners/triplet-margin-miner';
export { PairMarginMiner } from './miners/pair-margin-miner';
export type { PairMarginMinerOptions } from './miners/pair-margin-miner';
export { MultiSimilarityMiner } from './miners/multi-similarity-miner';
export type { MultiSimilarityMinerOptions } from './miners/multi-similarity-miner';
export { DistanceWeightedMiner } from './miners/distance-weighted-miner';
export type { DistanceWeightedMinerOptions } from './miners/distance-weighted-miner';
export { AngularMiner } from './miners/angular-miner';
export type { AngularMinerOptions } from './miners/angular-miner';
export { HDCMiner } from './miners/hdc-miner';
export type { HDCMinerOptions } from './miners/hdc-miner';
export { UniformHistogramMiner } from './miners/uniform-histogram-miner';
export type { UniformHistogramMinerOptions } from './miners/uniform-histogram-miner';
