import { type Divergence, bregmanGeneratorOf } from '@empirical-bregman/bregman-core';
import type { InputDomain } from '@empirical-bregman/convex-net';
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
import { CliError } from '../../cli-error';
import type { RunConfig, TrunkKind } from '../../config/run-config';
import { buildDivergence } from '../../model/divergence-head';

/**
 * The trunk a run uses: `auto` is an MLP for the catalogue's data (flattened images too: fast on wasm, the CNN is
 * opt-in there and the published results use the MLP), and the CNN for users' image folders (`--data`).
 */
export function resolveTrunk(config: Pick<RunConfig, 'trunk' | 'data'>, isImage: boolean): Exclude<TrunkKind, 'auto'> {
  if (config.trunk !== 'auto') return config.trunk;
  return config.data !== undefined && isImage ? 'cnn' : 'mlp';
}

/**
 * The embedding network, as a tf.layers model (saved with the runtime's file-system handler). Every initializer is
 * seeded from the run seed, so two runs with one seed start from the same weights.
 */
export function buildTrunk(
  config: RunConfig,
  sampleShape: readonly number[],
  isImage: boolean,
  outputDomain: InputDomain = 'real',
): tfl.Sequential {
  const kind = resolveTrunk(config, isImage);
  let seed = config.seed * 1000;
  const kernel = () => tfl.initializers.glorotUniform({ seed: seed++ });
  const layers: tfl.layers.Layer[] = [];
  const inputDim = sampleShape.reduce((a, b) => a * b, 1);
  if (kind === 'cnn') {
    if (!isImage)
      throw new CliError(
        'config',
        'INVALID_ARGUMENT',
        `"trunk" cnn needs image data (samples of shape [h, w, c]), got samples of shape [${sampleShape.join(', ')}]`,
      );
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
  // A head whose generator lives on positive (or non-negative) inputs, the entropies, gets softplus embeddings.
  const positive = outputDomain !== 'real';
  layers.push(
    tfl.layers.dense({
      units: config.embeddingDim,
      activation: positive ? 'softplus' : 'linear',
      kernelInitializer: kernel(),
    }),
  );
  return tfl.sequential({ layers });
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

/** Everything one replica of a retrieval model trains: trunk, head, loss (and miner), with their variables. */
export interface ModelParts extends TrainingParts {
  readonly divergence: Divergence;
  /** The trunk's trainable variables (the trunk's Adam). */
  readonly trunkVars: readonly tf.Variable[];
  /** The head's and the loss's variables (the head's Adam; empty for a fixed head and a loss without proxies). */
  readonly headVars: readonly tf.Variable[];
  /** Frees the trunk, the head and the loss. */
  dispose(): void;
}

/**
 * Builds the model of a retrieval run from its config — the one place it is built: the calling thread and every
 * data-parallel replica get the same seeded weights from it.
 */
export function buildModelParts(
  config: RunConfig,
  sampleShape: readonly number[],
  isImage: boolean,
  numClasses: number,
): ModelParts {
  const divergence = buildDivergence(config);
  let trunk: tfl.Sequential;
  try {
    trunk = buildTrunk(config, sampleShape, isImage, bregmanGeneratorOf(divergence)?.domain ?? 'real');
  } catch (error) {
    divergence.dispose();
    throw error;
  }
  const loss = buildLoss(config, divergence, numClasses);
  const miner = buildMiner(config, divergence);
  const { trunkVars, kernelVars } = trunkVariables(trunk);
  return {
    trunk,
    divergence,
    loss,
    miner,
    kernelVars,
    trunkVars,
    headVars: [...divergence.trainableVariables, ...loss.trainableVariables],
    dispose() {
      trunk.dispose();
      divergence.dispose();
      loss.dispose();
    },
  };
}
