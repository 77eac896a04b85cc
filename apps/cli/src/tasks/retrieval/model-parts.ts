import { type Divergence, bregmanGeneratorOf } from '@empirical-bregman/bregman-core';
import type { InputDomain } from '@empirical-bregman/convex-net';
import {
  type BaseMiner,
  CrossBatchMemory,
  type LossFunction,
  type LossStats,
  type MetricLossOptions,
} from '@empirical-bregman/losses';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { CliError } from '../../cli-error';
import type { RunConfig, TrunkKind } from '../../config/run-config';
import { buildDivergence } from '../../model/divergence-head';
import { LOSSES, type LossEntry, MINERS, type MinerEntry, REDUCERS, REGULARIZERS } from './loss-registry';
import { lossSettingsOf } from './retrieval-settings';

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

/**
 * The loss a run trains: a `MetricLoss`, or one wrapped in cross-batch memory. It owns its variables and its memory
 * (`dispose()`), never the divergence.
 */
export interface RunLoss extends LossFunction {
  /** Statistics of the last `compute` (of the wrapped loss under a memory), null before the first. */
  readonly lastStats: LossStats | null;
  /** Under cross-batch memory: the memory, part of the training state a checkpoint keeps (see CrossBatchMemory). */
  readonly memory?: Pick<CrossBatchMemory, 'memoryArrays' | 'restoreMemory'>;
  dispose(): void;
}

/**
 * The run's loss from its registry entry (see loss-registry.ts), over the run's divergence, with the reducer and
 * regularizer of its settings, wrapped in cross-batch memory when `memorySize` is set (the memory then mines with
 * `miner`, batch against memory). `numClasses` sizes the class weights of the losses that have them.
 */
export function buildLoss(
  config: RunConfig,
  divergence: Divergence,
  numClasses: number,
  miner: Miner | null = null,
): RunLoss {
  const entry: LossEntry = LOSSES[config.loss];
  const settings = lossSettingsOf(config);
  const common: { -readonly [K in keyof MetricLossOptions]: MetricLossOptions[K] } = {};
  if (settings.reducer !== undefined) common.reducer = REDUCERS[settings.reducer].build();
  if (settings.regularizer !== undefined) {
    const spec = REGULARIZERS[settings.regularizer];
    const regularizer = spec.build({ numClasses, centersPerClass: entry.classWeights?.centersPerClass ?? 1 });
    if (spec.on === 'embeddings') {
      common.embeddingRegularizer = regularizer;
      common.embeddingRegWeight = settings.regularizerWeight;
    } else {
      common.weightRegularizer = regularizer;
      common.weightRegWeight = settings.regularizerWeight;
    }
  }
  const loss = entry.build({
    divergence,
    margin: config.margin,
    temperature: config.temperature,
    numClasses,
    embeddingDim: config.embeddingDim,
    seed: config.seed,
    common,
  });
  if (settings.memorySize === undefined) return loss;
  const memory = new CrossBatchMemory({
    loss,
    memorySize: settings.memorySize,
    embeddingSize: config.embeddingDim,
    ...(miner ? { miner } : {}),
  });
  return {
    type: memory.type,
    compute: (embeddings, labels, options) => memory.compute(embeddings, labels, options),
    get trainableVariables() {
      return memory.trainableVariables;
    },
    get lastStats() {
      return loss.lastStats;
    },
    memory,
    dispose() {
      memory.dispose();
      loss.dispose();
    },
  };
}

export type Miner = BaseMiner;

/** The run's miner from its registry entry, or null for `none`. */
export function buildMiner(config: RunConfig, divergence: Divergence): Miner | null {
  if (config.miner === 'none') return null;
  const entry: MinerEntry = MINERS[config.miner];
  return entry.build({ divergence, margin: config.margin, seed: config.seed });
}

/** What one training step differentiates: the trunk, the head and the loss (and the miner, if any). */
export interface TrainingParts {
  readonly trunk: tfl.LayersModel;
  readonly loss: RunLoss;
  /** The miner of the batch (null: none, or mined inside the loss's cross-batch memory). */
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
  const minerOfRun = buildMiner(config, divergence);
  let loss: RunLoss;
  try {
    loss = buildLoss(config, divergence, numClasses, minerOfRun);
  } catch (error) {
    trunk.dispose();
    divergence.dispose();
    throw error;
  }
  // Under a cross-batch memory the memory mines (batch × memory); else the batch is mined here.
  const miner = lossSettingsOf(config).memorySize === undefined ? minerOfRun : null;
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
