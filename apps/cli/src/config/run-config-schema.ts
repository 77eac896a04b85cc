import { DEFAULT_DATASET, listDatasets } from '@empirical-bregman/datasets/node';
import { TASKS, taskDataNames } from '../tasks/task-registry';
import { LOSS_NAMES, MINER_NAMES, headBoundLosses, lossesReading } from '../tasks/retrieval/loss-registry';
import { HEAD_SCHEDULES } from '../tasks/retrieval/head-learning-rate';
import { DIVERGENCE_HEADS, PROTOCOLS, TRUNKS } from './run-config';
import type { Schema } from './schema';

/**
 * What `--dataset` (and a config's `dataset`) accepts: every dataset of the datasets package's catalogue, in its
 * order (so a new dataset is added in packages/datasets/src/dataset-catalogue.ts only), then the data the registered
 * tasks make themselves (divergence regression's synthetic pairs), which select their task. `listDatasets()` is the
 * catalogue's public face (it also checks availability: a few `existsSync` calls, once at start-up).
 */
export const DATASET_CHOICES: readonly string[] = [...listDatasets().map((d) => d.name), ...taskDataNames()];

/**
 * Every setting of a run, with its default. `bregman train --help` and the README list them; a config file (JSON
 * or YAML) holds any subset; flags override the file.
 */
export const RUN_CONFIG_SCHEMA = {
  name: {
    kind: 'string',
    pattern: /^[A-Za-z0-9._-]+$/,
    doc: 'run name (folder suffix); default <dataset>-<protocol>-<divergence>',
  },
  // No default: left out when the dataset implies it (retrieval for the catalogue's datasets), so configs, queue job
  // ids and run folders are the same as before the key existed.
  task: {
    kind: 'string',
    pattern: /^[a-z][a-z0-9-]*$/,
    doc: 'what kind of run: retrieval (default: an embedding and a divergence head trained on labelled data) or divergence-regression (a head fitted to a known divergence on synthetic pairs) or set-clustering (sets of points clustered as distributions)',
  },
  dataset: {
    kind: 'enum',
    values: DATASET_CHOICES,
    default: DEFAULT_DATASET,
    doc: 'dataset from the datasets package (bregman data list), or data a task makes: divergence-regression (its synthetic pairs), gaussian-sets (set-clustering)',
  },
  data: {
    kind: 'string',
    doc: 'your own data instead of --dataset: a CSV/TSV with a header (label column --label-column), a .npy (+ labels .npy) or .npz, an IDX images file, or an image folder (one sub-folder per class)',
  },
  labelColumn: { kind: 'string', doc: '--data CSV/TSV: the header name of the label column (default: label)' },
  imageSize: {
    kind: 'number',
    integer: true,
    min: 4,
    max: 512,
    doc: '--data image folder: resize every image to this size × size (needed when the images differ in size)',
  },
  channels: {
    kind: 'number',
    integer: true,
    min: 1,
    max: 3,
    doc: '--data image folder: 1 (grey) or 3 (RGB) (default: 1 when every image is grey)',
  },
  protocol: {
    kind: 'enum',
    values: PROTOCOLS,
    default: 'class-disjoint',
    doc: 'class-disjoint (unseen test classes) or closed-set',
  },
  divergence: {
    kind: 'enum',
    values: DIVERGENCE_HEADS,
    default: 'icnn',
    doc: 'divergence head trained with the embedding',
  },
  trunk: {
    kind: 'enum',
    values: TRUNKS,
    default: 'auto',
    doc: 'embedding network: auto (mlp), mlp, cnn (images), linear',
  },
  hidden: {
    kind: 'numberList',
    integer: true,
    min: 1,
    maxLength: 4,
    default: [256],
    doc: 'hidden layer widths of the MLP trunk',
  },
  embeddingDim: {
    kind: 'number',
    integer: true,
    min: 2,
    max: 1024,
    default: 64,
    doc: 'embedding dimension (divergence-regression: dimension of the points, default 8)',
  },
  // The choices come from the loss registry (tasks/retrieval/loss-registry.ts), the one list of them.
  loss: {
    kind: 'enum',
    values: LOSS_NAMES,
    default: 'triplet',
    doc: `metric learning loss from the losses package; these need one --divergence: ${headBoundLosses().join(', ')}`,
  },
  miner: {
    kind: 'enum',
    values: MINER_NAMES,
    default: 'none',
    doc: 'miner (none: all pairs/triplets of the batch; not with losses that form their own pairs or have class weights)',
  },
  margin: {
    kind: 'number',
    min: 0,
    default: 0.1,
    doc: `margin, relative to the scale control (see losses), of ${lossesReading('margin').join(', ')} (other losses keep their papers' margins)`,
  },
  temperature: {
    kind: 'number',
    above: 0,
    default: 0.1,
    doc: `temperature of ${lossesReading('temperature').join(', ')}`,
  },
  epochs: { kind: 'number', integer: true, min: 1, max: 10_000, default: 12, doc: 'maximum epochs' },
  stepsPerEpoch: {
    kind: 'number',
    integer: true,
    min: 0,
    default: 0,
    doc: 'optimiser steps per epoch (0: one pass over the training set)',
  },
  patience: {
    kind: 'number',
    integer: true,
    min: 0,
    default: 3,
    doc: 'early stopping: epochs without validation MAP@R gain (0: off)',
  },
  batchSize: {
    kind: 'number',
    integer: true,
    min: 4,
    max: 4096,
    default: 120,
    doc: 'batch size (m samples of each of batchSize/m classes)',
  },
  samplesPerClass: {
    kind: 'number',
    integer: true,
    min: 0,
    default: 0,
    doc: 'm of the m-per-class sampler (0: batchSize / number of classes, at least 2)',
  },
  learningRate: {
    kind: 'number',
    above: 0,
    max: 10,
    default: 1e-3,
    doc: 'Adam learning rate of the embedding network',
  },
  divergenceLearningRate: {
    kind: 'number',
    above: 0,
    max: 10,
    default: 1e-3,
    doc: 'Adam learning rate of the divergence head',
  },
  weightDecay: { kind: 'number', min: 0, default: 1e-4, doc: 'L2 penalty on the embedding network weights' },
  // No default: left out of the config at 1, so configs, queue job ids and run folders of runs that do not use it
  // are the same as before the key existed.
  dataParallel: {
    kind: 'number',
    integer: true,
    min: 1,
    max: 8,
    doc: 'worker threads training synchronous data-parallel replicas, each on its own batch (effective batch = workers × batchSize; default 1: this thread; for single runs: a grid already runs cells in parallel)',
  },
  icnnHidden: {
    kind: 'numberList',
    integer: true,
    min: 1,
    maxLength: 4,
    default: [128, 128],
    doc: 'ICNN hidden widths',
  },
  icnnMu: { kind: 'number', above: 0, default: 0.5, doc: 'ICNN strong-convexity weight μ (D > 0 off the diagonal)' },
  // No default for the next two: left out of a config when off, so existing configs, job ids and folders stay as
  // they were.
  icnnResidual: {
    kind: 'boolean',
    doc: 'icnn head: φ(z) = ½‖z‖² + max(γ, 0)·ICNN(z) with γ = 0 at start, so D starts exactly at ½‖x − y‖² (convex-net ResidualIcnnConvexFunction; default false: the plain ICNN + (μ/2)‖z‖²)',
  },
  divergenceSchedule: {
    kind: 'enum',
    values: HEAD_SCHEDULES,
    doc: "the head's own learning-rate schedule: constant (default) or warmup-cosine (linear warm-up over 10% of the steps, then a cosine decay to 0, from divergenceLearningRate)",
  },
  maxAffinePieces: {
    kind: 'number',
    integer: true,
    min: 1,
    max: 1024,
    default: 32,
    doc: 'pieces of the max-affine generator',
  },
  validation: {
    kind: 'enum',
    values: ['auto', 'classes', 'samples'],
    default: 'auto',
    doc: 'class-disjoint validation: held-out classes, held-out samples of the training classes, or auto (classes when ≥ 5 training classes)',
  },
  valClasses: {
    kind: 'number',
    integer: true,
    min: 0,
    default: 0,
    doc: 'class-disjoint: training classes held out for validation (0: auto = a tenth of them, at least 2)',
  },
  valFraction: {
    kind: 'number',
    above: 0,
    max: 0.5,
    default: 0.15,
    doc: 'closed-set: fraction of training samples held out for validation',
  },
  testFraction: {
    kind: 'number',
    above: 0,
    max: 0.5,
    default: 0.2,
    doc: 'closed-set: fraction of samples held out for testing',
  },
  maxTrainSamples: {
    kind: 'number',
    integer: true,
    min: 0,
    default: 0,
    doc: 'cap on training samples (0: all; divergence-regression: training pairs, 0 = 4000)',
  },
  maxEvalSamples: {
    kind: 'number',
    integer: true,
    min: 0,
    default: 0,
    doc: 'cap on validation and test samples each (0: all; divergence-regression: pairs, 0 = 1000 / 2000)',
  },
  seed: { kind: 'number', integer: true, min: 0, default: 1, doc: 'seed of every random choice' },
  outDir: { kind: 'string', default: 'runs', doc: 'folder that receives runs/<timestamp>-<name>/' },
} as const satisfies Schema;

/**
 * The settings a config of `task` may hold: the shared ones and the task's own. A task's setting may not reuse a
 * shared name (one key, one meaning).
 */
export function schemaOfTask(task: { readonly name: string; readonly settings?: Schema }): Schema {
  for (const key of Object.keys(task.settings ?? {}))
    if (key in RUN_CONFIG_SCHEMA)
      throw new Error(`task ${task.name}: its setting "${key}" has the name of a shared setting; choose another name`);
  return { ...RUN_CONFIG_SCHEMA, ...task.settings };
}

/** Every setting of every registered task (for the CLI's flags: the task is known only once the config is read). */
export function allSettingsSchema(): Schema {
  return Object.assign({}, RUN_CONFIG_SCHEMA, ...TASKS.map((t) => schemaOfTask(t)));
}
