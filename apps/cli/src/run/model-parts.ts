import {
  BregmanDivergence,
  CosineDivergence,
  type Divergence,
  EuclideanDivergence,
} from '@empirical-bregman/bregman-core';
import {
  BurgEntropy,
  IcnnConvexFunction,
  LearnedQuadratic,
  MaxAffineConvexFunction,
  NegativeEntropy,
} from '@empirical-bregman/convex-net';
import {
  BatchHardMiner,
  ContrastiveLoss,
  type MetricLoss,
  MultiSimilarityLoss,
  MultiSimilarityMiner,
  NTXentLoss,
  ProxyAnchorLoss,
  SupConLoss,
  TripletMarginLoss,
  TripletMarginMiner,
} from '@empirical-bregman/losses';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { DivergenceHead, RunConfig, TrunkKind } from '../config/run-config';

/** Divergence heads whose embeddings must be positive (the entropies' domain): the trunk ends in softplus. */
const POSITIVE_HEADS: readonly DivergenceHead[] = ['kl', 'itakura-saito'];

/** The trunk a run uses: `auto` is an MLP (flattened images too: fast on wasm, and the CNN is opt-in). */
export function resolveTrunk(kind: TrunkKind): Exclude<TrunkKind, 'auto'> {
  return kind === 'auto' ? 'mlp' : kind;
}

/**
 * The embedding network, as a tf.layers model (saved with the runtime's file-system handler). Every initializer is
 * seeded from the run seed, so two runs with one seed start from the same weights.
 */
export function buildTrunk(config: RunConfig, sampleShape: readonly number[], isImage: boolean): tfl.Sequential {
  const kind = resolveTrunk(config.trunk);
  let seed = config.seed * 1000;
  const kernel = () => tfl.initializers.glorotUniform({ seed: seed++ });
  const layers: tfl.layers.Layer[] = [];
  const inputDim = sampleShape.reduce((a, b) => a * b, 1);
  if (kind === 'cnn') {
    if (!isImage) throw new Error('the cnn trunk needs image data');
    layers.push(
      tfl.layers.conv2d({
        inputShape: [...sampleShape],
        filters: 32,
        kernelSize: 3,
        padding: 'same',
        activation: 'relu',
        kernelInitializer: kernel(),
      }),
      tfl.layers.maxPooling2d({ poolSize: 2 }),
      tfl.layers.conv2d({
        filters: 64,
        kernelSize: 3,
        padding: 'same',
        activation: 'relu',
        kernelInitializer: kernel(),
      }),
      tfl.layers.maxPooling2d({ poolSize: 2 }),
      tfl.layers.flatten(),
      tfl.layers.dense({ units: 128, activation: 'relu', kernelInitializer: kernel() }),
    );
  } else {
    layers.push(tfl.layers.reshape({ inputShape: [...sampleShape], targetShape: [inputDim] }));
    if (kind === 'mlp') {
      for (const units of config.hidden)
        layers.push(tfl.layers.dense({ units, activation: 'relu', kernelInitializer: kernel() }));
    }
  }
  const positive = POSITIVE_HEADS.includes(config.divergence);
  layers.push(
    tfl.layers.dense({
      units: config.embeddingDim,
      activation: positive ? 'softplus' : 'linear',
      kernelInitializer: kernel(),
    }),
  );
  return tfl.sequential({ layers });
}

/** The divergence head: fixed (euclidean, cosine, kl, itakura-saito) or learned (mahalanobis, max-affine, icnn). */
export function buildDivergence(config: RunConfig): Divergence {
  const dim = config.embeddingDim;
  const seed = `${config.seed}/divergence`;
  switch (config.divergence) {
    case 'euclidean':
      return new EuclideanDivergence();
    case 'cosine':
      return new CosineDivergence();
    case 'mahalanobis':
      return new BregmanDivergence(new LearnedQuadratic({ dim, seed }));
    case 'max-affine':
      return new BregmanDivergence(new MaxAffineConvexFunction({ dim, pieces: config.maxAffinePieces, seed }));
    case 'icnn':
      return new BregmanDivergence(
        new IcnnConvexFunction({ dim, hiddenSizes: config.icnnHidden, mu: config.icnnMu, seed }),
      );
    case 'kl':
      return new BregmanDivergence(new NegativeEntropy({ dim, floor: 1e-6 }));
    case 'itakura-saito':
      return new BregmanDivergence(new BurgEntropy({ dim, floor: 1e-6 }));
  }
}

/** The loss, over the run's divergence. */
export function buildLoss(config: RunConfig, divergence: Divergence, numClasses: number): MetricLoss {
  switch (config.loss) {
    case 'triplet':
      return new TripletMarginLoss({ divergence, margin: config.margin });
    case 'contrastive':
      return new ContrastiveLoss({ divergence, posMargin: 0, negMargin: 1 + config.margin });
    case 'multi-similarity':
      return new MultiSimilarityLoss({ divergence });
    case 'ntxent':
      return new NTXentLoss({ divergence, temperature: config.temperature });
    case 'supcon':
      return new SupConLoss({ divergence, temperature: config.temperature });
    case 'proxy-anchor':
      return new ProxyAnchorLoss({ divergence, numClasses, embeddingDim: config.embeddingDim, seed: config.seed });
  }
}

export type Miner = BatchHardMiner | TripletMarginMiner | MultiSimilarityMiner;

export function buildMiner(config: RunConfig, divergence: Divergence): Miner | null {
  switch (config.miner) {
    case 'none':
      return null;
    case 'batch-hard':
      return new BatchHardMiner({ divergence });
    case 'semihard':
      return new TripletMarginMiner({ divergence, margin: config.margin, typeOfTriplets: 'semihard' });
    case 'multi-similarity':
      return new MultiSimilarityMiner({ divergence });
  }
}

/** What one training step differentiates: the trunk, the head and the loss (and the miner, if any). */
export interface TrainingParts {
  readonly trunk: tfl.LayersModel;
  readonly loss: MetricLoss;
  readonly miner: Miner | null;
  /** The trunk's kernels, for the weight decay. */
  readonly kernelVars: readonly tf.Variable[];
}

/**
 * The loss of one batch: embeddings → optional mining → the metric loss, plus the L2 weight decay on the trunk's
 * kernels. The same function trains in this thread and in a data-parallel replica.
 */
export function batchLoss(config: RunConfig, parts: TrainingParts, x: tf.Tensor, labels: tf.Tensor1D): tf.Scalar {
  const embeddings = parts.trunk.apply(x, { training: true }) as tf.Tensor2D;
  const indicesTuple = parts.miner ? parts.miner.mine(embeddings, labels) : undefined;
  let total = parts.loss.compute(embeddings, labels, indicesTuple ? { indicesTuple } : {});
  if (config.weightDecay > 0)
    total = tf.add(
      total,
      tf.mul(config.weightDecay, tf.addN(parts.kernelVars.map((k) => tf.sum(tf.square(k))))),
    ) as tf.Scalar;
  return total;
}

/** The trunk's trainable variables and, among them, its kernels (what the weight decay applies to). */
export function trunkVariables(trunk: tfl.LayersModel): { trunkVars: tf.Variable[]; kernelVars: tf.Variable[] } {
  return {
    trunkVars: trunk.trainableWeights.map((w) => w.read() as tf.Variable),
    kernelVars: trunk.trainableWeights.filter((w) => w.name.endsWith('kernel')).map((w) => w.read() as tf.Variable),
  };
}
