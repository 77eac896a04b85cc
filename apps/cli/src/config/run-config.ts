import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { DEFAULT_DATASET, type DatasetName, listDatasets } from '@empirical-bregman/datasets';
import { parse as parseYaml } from 'yaml';
import { CliError } from '../cli-error';
import {
  DIVERGENCE_REGRESSION,
  checkDivergenceRegressionConfig,
  withDivergenceRegressionDefaults,
} from '../regression/divergence-regression-config';
import { type Schema, validateAgainst } from './schema';

export const DIVERGENCE_HEADS = [
  'euclidean',
  'cosine',
  'mahalanobis',
  'max-affine',
  'icnn',
  'kl',
  'itakura-saito',
] as const;
export type DivergenceHead = (typeof DIVERGENCE_HEADS)[number];

export const PROTOCOLS = ['class-disjoint', 'closed-set'] as const;
export type Protocol = (typeof PROTOCOLS)[number];

export const LOSS_NAMES = ['triplet', 'contrastive', 'multi-similarity', 'ntxent', 'supcon', 'proxy-anchor'] as const;
export type LossName = (typeof LOSS_NAMES)[number];

export const MINER_NAMES = ['none', 'batch-hard', 'semihard', 'multi-similarity'] as const;
export type MinerName = (typeof MINER_NAMES)[number];

export const TRUNKS = ['auto', 'mlp', 'cnn', 'linear'] as const;
export type TrunkKind = (typeof TRUNKS)[number];

/**
 * What `--dataset` (and a config's `dataset`) accepts: every dataset of the datasets package's catalogue, in its
 * order (so a new dataset is added in packages/datasets/src/dataset-catalogue.ts only), then the divergence-regression
 * task. That one is a task, not a dataset (it generates its pairs): it stays a `dataset` value until tasks get a
 * setting of their own. `listDatasets()` is the catalogue's public face (it also checks availability: a few
 * `existsSync` calls, once at start-up).
 */
export const DATASET_CHOICES: readonly DatasetChoice[] = [...listDatasets().map((d) => d.name), DIVERGENCE_REGRESSION];
export type DatasetChoice = DatasetName | typeof DIVERGENCE_REGRESSION;

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
  dataset: {
    kind: 'enum',
    values: DATASET_CHOICES,
    default: DEFAULT_DATASET,
    doc: 'dataset from the datasets package (bregman data list), or the divergence-regression task',
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
  loss: { kind: 'enum', values: LOSS_NAMES, default: 'triplet', doc: 'metric learning loss from the losses package' },
  miner: { kind: 'enum', values: MINER_NAMES, default: 'none', doc: 'miner (none: all pairs/triplets of the batch)' },
  margin: {
    kind: 'number',
    min: 0,
    default: 0.1,
    doc: 'margin of margin losses, relative to the scale control (see losses)',
  },
  temperature: { kind: 'number', above: 0, default: 0.1, doc: 'temperature of softmax losses (ntxent, supcon)' },
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
    doc: 'class-disjoint: training classes held out for validation (0: auto = 2)',
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

export interface RunConfig {
  readonly name?: string;
  readonly dataset: DatasetChoice;
  readonly protocol: Protocol;
  readonly divergence: DivergenceHead;
  readonly trunk: TrunkKind;
  readonly hidden: number[];
  readonly embeddingDim: number;
  readonly loss: LossName;
  readonly miner: MinerName;
  readonly margin: number;
  readonly temperature: number;
  readonly epochs: number;
  readonly stepsPerEpoch: number;
  readonly patience: number;
  readonly batchSize: number;
  readonly samplesPerClass: number;
  readonly learningRate: number;
  readonly divergenceLearningRate: number;
  readonly weightDecay: number;
  /** Absent: 1 (see `dataParallelWorkers`). */
  readonly dataParallel?: number;
  readonly icnnHidden: number[];
  readonly icnnMu: number;
  readonly maxAffinePieces: number;
  readonly validation: 'auto' | 'classes' | 'samples';
  readonly valClasses: number;
  readonly valFraction: number;
  readonly testFraction: number;
  readonly maxTrainSamples: number;
  readonly maxEvalSamples: number;
  readonly seed: number;
  readonly outDir: string;
}

/**
 * Validates a run configuration (from flags, a file or a job payload) and fills in defaults (for the
 * divergence-regression task, its own defaults first: see `DIVERGENCE_REGRESSION_DEFAULTS`).
 */
export function validateRunConfig(raw: unknown, where = 'config'): RunConfig {
  const config = validateAgainst(
    RUN_CONFIG_SCHEMA,
    withDivergenceRegressionDefaults(raw),
    where,
  ) as unknown as RunConfig;
  checkDivergenceRegressionConfig(config, where);
  // 1 is the same run as no key (see the schema): one form, one hash.
  if (config.dataParallel === 1) delete (config as { dataParallel?: number }).dataParallel;
  return config;
}

/** Worker threads a run trains on (`dataParallel`, 1 when absent). */
export function dataParallelWorkers(config: RunConfig): number {
  return config.dataParallel ?? 1;
}

/** The run's display name. */
export function runName(config: RunConfig): string {
  return config.name ?? `${config.dataset}-${config.protocol}-${config.divergence}`;
}

/** Reads a JSON or YAML config file (by extension) into a plain object, with one-line errors. */
export function readConfigFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new CliError(
      'config file',
      'NOT_FOUND',
      `expected a readable file at ${path}, got ${(error as NodeJS.ErrnoException).code ?? 'an error'}`,
    );
  }
  let parsed: unknown;
  try {
    parsed = ['.yaml', '.yml'].includes(extname(path).toLowerCase()) ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    throw new CliError(
      'config file',
      'BAD_FORMAT',
      `expected valid ${extname(path).slice(1).toUpperCase() || 'JSON'} in ${path}, got: ${(error as Error).message.split('\n')[0]}`,
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new CliError(
      'config file',
      'BAD_FORMAT',
      `expected ${path} to hold an object of settings, got ${JSON.stringify(parsed)}`,
    );
  }
  return parsed as Record<string, unknown>;
}
