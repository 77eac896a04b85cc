// The one list of what `--loss`, `--miner`, `--reducer` and `--regularizer` accept: each CLI name (kebab-case)
// with how a run builds it. The config schema's choices, `bregman train --help`, the validator's checks and the
// parametrised training test all read these records, so a new entry is offered, checked and tested by itself.
import type { Divergence } from '@empirical-bregman/bregman-core';
import {
  AngularMiner,
  ArcFaceLoss,
  AvgNonZeroReducer,
  type BaseMiner,
  BatchEasyHardMiner,
  BatchHardMiner,
  BregmanSoftmaxLoss,
  CenterInvariantRegularizer,
  CircleLoss,
  ContrastiveLoss,
  CosFaceLoss,
  DistanceWeightedMiner,
  FastAPLoss,
  HDCMiner,
  HistogramLoss,
  InstanceLoss,
  IntraPairVarianceLoss,
  LiftedStructureLoss,
  LpRegularizer,
  MarginLoss,
  MeanReducer,
  type MetricLoss,
  type MetricLossOptions,
  MultiSimilarityLoss,
  MultiSimilarityMiner,
  NCALoss,
  NPairsLoss,
  NTXentLoss,
  NormalizedSoftmaxLoss,
  PairMarginMiner,
  PerAnchorReducer,
  ProxyAnchorLoss,
  ProxyNCALoss,
  type Reducer,
  RegularFaceRegularizer,
  type Regularizer,
  SoftTripleLoss,
  SparseCentersRegularizer,
  SubCenterArcFaceLoss,
  SumReducer,
  SupConLoss,
  TripletMarginLoss,
  TripletMarginMiner,
  TupletMarginLoss,
  UniformHistogramMiner,
  ZeroMeanRegularizer,
} from '@empirical-bregman/losses';
import type { DivergenceHead } from '../../config/divergence-heads';

/** What a loss is built from: the run's settings it reads, the run's divergence, and the shared loss options. */
export interface LossBuildContext {
  /** The run's divergence head (the loss does not own it). */
  readonly divergence: Divergence;
  /** The run's `margin` and `temperature` (read only by the entries that list them in `reads`). */
  readonly margin: number;
  readonly temperature: number;
  /** C, the classes of the data (labels 0..C−1), for losses with class weights. */
  readonly numClasses: number;
  readonly embeddingDim: number;
  readonly seed: number;
  /** The reducer and regularizers of `--reducer` / `--regularizer` (absent: the loss's defaults, none). */
  readonly common: MetricLossOptions;
}

/** One `--loss` choice. */
export interface LossEntry {
  /** The losses package's class (for the README and messages). */
  readonly className: string;
  /** The one divergence head the loss is defined for (its margin is an angle), absent when any head works. */
  readonly needsDivergence?: DivergenceHead;
  /**
   * Learnable class weights (proxies), C·K rows with K `centersPerClass`: `numClasses` is needed, a weight
   * regularizer applies, and the weights are the reference set (no miner, no cross-batch memory). Absent: none.
   */
  readonly classWeights?: { readonly centersPerClass: number };
  /** False when the loss forms its own pairs from the labels (no `--miner`). */
  readonly acceptsMiner: boolean;
  /**
   * True when a term of the loss declares no anchors (`LossTerm.anchors` null in the losses package: a whole-batch
   * histogram, ProxyAnchor's per-proxy terms), so `per-anchor` cannot group it. The per-sample classification and
   * proxy losses (ArcFace, CosFace, ProxyNCA, …) are anchored by their samples and accept it.
   */
  readonly noAnchors?: boolean;
  /** The run settings the loss reads beside the shared options (the others keep the losses package's defaults). */
  readonly reads: readonly ('margin' | 'temperature')[];
  build(context: LossBuildContext): MetricLoss;
}

const classes = (c: LossBuildContext) => ({ numClasses: c.numClasses, embeddingDim: c.embeddingDim, seed: c.seed });
const pairLoss = { acceptsMiner: true, reads: [] } as const;
const weights = (centersPerClass: number) => ({ classWeights: { centersPerClass }, acceptsMiner: false, reads: [] });

/**
 * Every `--loss` choice, the default first. The first six are the CLI's original losses, built exactly as before
 * (existing runs train the same). Not offered: `InfoNCELoss` (another name of `NTXentLoss`, which is offered) and
 * `DivergenceRegressionLoss` (it needs target divergences of pairs, not labels: the divergence-regression task's).
 */
export const LOSSES = {
  triplet: {
    className: 'TripletMarginLoss',
    acceptsMiner: true,
    reads: ['margin'],
    build: (c) => new TripletMarginLoss({ ...c.common, divergence: c.divergence, margin: c.margin }),
  },
  contrastive: {
    className: 'ContrastiveLoss',
    acceptsMiner: true,
    reads: ['margin'],
    build: (c) => new ContrastiveLoss({ ...c.common, divergence: c.divergence, posMargin: 0, negMargin: 1 + c.margin }),
  },
  'multi-similarity': {
    className: 'MultiSimilarityLoss',
    ...pairLoss,
    build: (c) => new MultiSimilarityLoss({ ...c.common, divergence: c.divergence }),
  },
  ntxent: {
    className: 'NTXentLoss',
    acceptsMiner: true,
    reads: ['temperature'],
    build: (c) => new NTXentLoss({ ...c.common, divergence: c.divergence, temperature: c.temperature }),
  },
  supcon: {
    className: 'SupConLoss',
    acceptsMiner: true,
    reads: ['temperature'],
    build: (c) => new SupConLoss({ ...c.common, divergence: c.divergence, temperature: c.temperature }),
  },
  'proxy-anchor': {
    className: 'ProxyAnchorLoss',
    ...weights(1),
    // Its terms are per proxy (one value per class), not per sample.
    noAnchors: true,
    build: (c) => new ProxyAnchorLoss({ ...c.common, divergence: c.divergence, ...classes(c) }),
  },
  'proxy-nca': {
    className: 'ProxyNCALoss',
    ...weights(1),
    build: (c) => new ProxyNCALoss({ ...c.common, divergence: c.divergence, ...classes(c) }),
  },
  nca: {
    className: 'NCALoss',
    ...pairLoss,
    build: (c) => new NCALoss({ ...c.common, divergence: c.divergence }),
  },
  'lifted-structure': {
    className: 'LiftedStructureLoss',
    ...pairLoss,
    build: (c) => new LiftedStructureLoss({ ...c.common, divergence: c.divergence }),
  },
  margin: {
    className: 'MarginLoss',
    ...pairLoss,
    // A learnable boundary β (one global variable): trained by the head's optimiser, saved in the checkpoint.
    build: (c) => new MarginLoss({ ...c.common, divergence: c.divergence }),
  },
  circle: {
    className: 'CircleLoss',
    ...pairLoss,
    build: (c) => new CircleLoss({ ...c.common, divergence: c.divergence }),
  },
  'fast-ap': {
    className: 'FastAPLoss',
    ...pairLoss,
    build: (c) => new FastAPLoss({ ...c.common, divergence: c.divergence }),
  },
  'n-pairs': {
    className: 'NPairsLoss',
    ...pairLoss,
    build: (c) => new NPairsLoss({ ...c.common, divergence: c.divergence }),
  },
  'tuplet-margin': {
    className: 'TupletMarginLoss',
    needsDivergence: 'cosine',
    ...pairLoss,
    build: (c) => new TupletMarginLoss({ ...c.common, divergence: c.divergence }),
  },
  histogram: {
    className: 'HistogramLoss',
    ...pairLoss,
    noAnchors: true,
    build: (c) => new HistogramLoss({ ...c.common, divergence: c.divergence }),
  },
  instance: {
    className: 'InstanceLoss',
    acceptsMiner: false,
    reads: [],
    build: (c) => new InstanceLoss({ ...c.common, divergence: c.divergence }),
  },
  'intra-pair-variance': {
    className: 'IntraPairVarianceLoss',
    ...pairLoss,
    build: (c) => new IntraPairVarianceLoss({ ...c.common, divergence: c.divergence }),
  },
  'bregman-softmax': {
    className: 'BregmanSoftmaxLoss',
    acceptsMiner: false,
    reads: ['temperature'],
    // μ_c the batch's class means (the loss's default target): no weights.
    build: (c) => new BregmanSoftmaxLoss({ ...c.common, divergence: c.divergence, temperature: c.temperature }),
  },
  'bregman-softmax-proxies': {
    className: 'BregmanSoftmaxLoss',
    classWeights: { centersPerClass: 1 },
    acceptsMiner: false,
    reads: ['temperature'],
    build: (c) =>
      new BregmanSoftmaxLoss({
        ...c.common,
        divergence: c.divergence,
        temperature: c.temperature,
        target: 'proxies',
        ...classes(c),
      }),
  },
  'arc-face': {
    className: 'ArcFaceLoss',
    needsDivergence: 'cosine',
    ...weights(1),
    build: (c) => new ArcFaceLoss({ ...c.common, divergence: c.divergence, ...classes(c) }),
  },
  'sub-center-arc-face': {
    className: 'SubCenterArcFaceLoss',
    needsDivergence: 'cosine',
    ...weights(3),
    build: (c) => new SubCenterArcFaceLoss({ ...c.common, divergence: c.divergence, ...classes(c), subCenters: 3 }),
  },
  'cos-face': {
    className: 'CosFaceLoss',
    ...weights(1),
    build: (c) => new CosFaceLoss({ ...c.common, divergence: c.divergence, ...classes(c) }),
  },
  'normalized-softmax': {
    className: 'NormalizedSoftmaxLoss',
    ...weights(1),
    build: (c) => new NormalizedSoftmaxLoss({ ...c.common, divergence: c.divergence, ...classes(c) }),
  },
  'soft-triple': {
    className: 'SoftTripleLoss',
    ...weights(10),
    build: (c) => new SoftTripleLoss({ ...c.common, divergence: c.divergence, ...classes(c), centersPerClass: 10 }),
  },
} as const satisfies Readonly<Record<string, LossEntry>>;

export type LossName = keyof typeof LOSSES;
export const LOSS_NAMES = Object.keys(LOSSES) as LossName[];

/** The registry entry of `name` (a validated config's loss). */
export function lossEntry(name: LossName): LossEntry {
  return LOSSES[name];
}

/** What a miner is built from. */
export interface MinerBuildContext {
  readonly divergence: Divergence;
  readonly margin: number;
  readonly seed: number;
}

/** One `--miner` choice (`none` is not an entry: no miner). */
export interface MinerEntry {
  readonly className: string;
  readonly reads: readonly 'margin'[];
  build(context: MinerBuildContext): BaseMiner;
}

/** Every `--miner` choice besides `none`; the first three are the CLI's original miners, built as before. */
export const MINERS = {
  'batch-hard': {
    className: 'BatchHardMiner',
    reads: [],
    build: (c) => new BatchHardMiner({ divergence: c.divergence }),
  },
  semihard: {
    className: 'TripletMarginMiner',
    reads: ['margin'],
    build: (c) => new TripletMarginMiner({ divergence: c.divergence, margin: c.margin, typeOfTriplets: 'semihard' }),
  },
  'multi-similarity': {
    className: 'MultiSimilarityMiner',
    reads: [],
    build: (c) => new MultiSimilarityMiner({ divergence: c.divergence }),
  },
  'triplet-margin': {
    className: 'TripletMarginMiner',
    reads: ['margin'],
    // PML's default type: every triplet that violates the margin.
    build: (c) => new TripletMarginMiner({ divergence: c.divergence, margin: c.margin, typeOfTriplets: 'all' }),
  },
  'batch-easy-hard': {
    className: 'BatchEasyHardMiner',
    reads: [],
    build: (c) => new BatchEasyHardMiner({ divergence: c.divergence }),
  },
  'pair-margin': {
    className: 'PairMarginMiner',
    reads: [],
    build: (c) => new PairMarginMiner({ divergence: c.divergence }),
  },
  'distance-weighted': {
    className: 'DistanceWeightedMiner',
    reads: [],
    build: (c) => new DistanceWeightedMiner({ divergence: c.divergence, seed: c.seed }),
  },
  angular: { className: 'AngularMiner', reads: [], build: (c) => new AngularMiner({ divergence: c.divergence }) },
  hdc: { className: 'HDCMiner', reads: [], build: (c) => new HDCMiner({ divergence: c.divergence }) },
  'uniform-histogram': {
    className: 'UniformHistogramMiner',
    reads: [],
    build: (c) => new UniformHistogramMiner({ divergence: c.divergence, seed: c.seed }),
  },
} as const satisfies Readonly<Record<string, MinerEntry>>;

export type MinerName = 'none' | keyof typeof MINERS;
export const MINER_NAMES: MinerName[] = ['none', ...(Object.keys(MINERS) as (keyof typeof MINERS)[])];

/** One `--reducer` choice. */
export interface ReducerEntry {
  readonly className: string;
  /** True when it groups elements by anchor (losses whose terms have anchors only). */
  readonly needsAnchors?: boolean;
  build(): Reducer;
}

/**
 * Every `--reducer` choice (absent: the loss's own default). Not offered, because each needs numbers a flag cannot
 * sensibly carry or is not a training reduction: `ThresholdReducer` (its low/high bounds), `DivisorReducer` (a
 * divisor where the loss gives none), `ClassWeightedReducer` (one weight per class), `MultipleReducers` (one reducer
 * per term) and `DoNothingReducer` (it keeps the terms for code to reduce; a run would train on their sum: `sum`).
 */
export const REDUCERS = {
  mean: { className: 'MeanReducer', build: () => new MeanReducer() },
  'avg-non-zero': { className: 'AvgNonZeroReducer', build: () => new AvgNonZeroReducer() },
  sum: { className: 'SumReducer', build: () => new SumReducer() },
  'per-anchor': { className: 'PerAnchorReducer', needsAnchors: true, build: () => new PerAnchorReducer() },
} as const satisfies Readonly<Record<string, ReducerEntry>>;

export type ReducerName = keyof typeof REDUCERS;
export const REDUCER_NAMES = Object.keys(REDUCERS) as ReducerName[];

/** One `--regularizer` choice. */
export interface RegularizerEntry {
  readonly className: string;
  /**
   * `embeddings`: attached as the loss's `embeddingRegularizer` (any loss); `weights`: as its `weightRegularizer`
   * (losses with class weights only).
   */
  readonly on: 'embeddings' | 'weights';
  /** True when it needs K > 1 centers per class (SoftTriple's, SubCenterArcFace's). */
  readonly needsCenters?: boolean;
  build(context: { readonly numClasses: number; readonly centersPerClass: number }): Regularizer;
}

/** Every `--regularizer` choice (absent: none). */
export const REGULARIZERS = {
  lp: { className: 'LpRegularizer', on: 'embeddings', build: () => new LpRegularizer() },
  'zero-mean': { className: 'ZeroMeanRegularizer', on: 'embeddings', build: () => new ZeroMeanRegularizer() },
  'center-invariant': {
    className: 'CenterInvariantRegularizer',
    on: 'weights',
    build: () => new CenterInvariantRegularizer(),
  },
  'regular-face': { className: 'RegularFaceRegularizer', on: 'weights', build: () => new RegularFaceRegularizer() },
  'sparse-centers': {
    className: 'SparseCentersRegularizer',
    on: 'weights',
    needsCenters: true,
    build: (c) => new SparseCentersRegularizer(c),
  },
} as const satisfies Readonly<Record<string, RegularizerEntry>>;

export type RegularizerName = keyof typeof REGULARIZERS;
export const REGULARIZER_NAMES = Object.keys(REGULARIZERS) as RegularizerName[];

/** The losses defined for one divergence head only, as `name (head)` (for the flag docs). */
export function headBoundLosses(): string[] {
  return Object.entries(LOSSES as Readonly<Record<string, LossEntry>>)
    .filter(([, e]) => e.needsDivergence !== undefined)
    .map(([name, e]) => `${name} (${e.needsDivergence})`);
}

/** The losses whose entry lists `setting` in `reads` (for the flag docs). */
export function lossesReading(setting: 'margin' | 'temperature'): string[] {
  const losses = Object.entries(LOSSES as Readonly<Record<string, LossEntry>>)
    .filter(([, e]) => e.reads.includes(setting))
    .map(([name]) => name);
  const miners = Object.entries(MINERS as Readonly<Record<string, MinerEntry>>)
    .filter(([, e]) => (e.reads as readonly string[]).includes(setting))
    .map(([name]) => `${name} miner`);
  return [...losses, ...miners];
}
