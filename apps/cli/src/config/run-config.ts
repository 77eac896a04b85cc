import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { CliError } from '../cli-error';
import type { HeadSchedule } from '../tasks/retrieval/head-learning-rate';
import type { LossName, MinerName } from '../tasks/retrieval/loss-registry';

import { DIVERGENCE_HEADS, type DivergenceHead } from './divergence-heads';

export { DIVERGENCE_HEADS, type DivergenceHead };

export const PROTOCOLS = ['class-disjoint', 'closed-set'] as const;
export type Protocol = (typeof PROTOCOLS)[number];

// The loss and miner names have one home, the registry that builds them.
export type { LossName, MinerName } from '../tasks/retrieval/loss-registry';

export const TRUNKS = ['auto', 'mlp', 'cnn', 'linear'] as const;
export type TrunkKind = (typeof TRUNKS)[number];

export interface RunConfig {
  readonly name?: string;
  /** Absent: the task the dataset implies (see `taskOfConfig`). */
  readonly task?: string;
  /** A dataset of the datasets catalogue, or one a task makes itself (see `DATASET_CHOICES`). */
  readonly dataset: string;
  /** Users' data (a file or an image folder) instead of a catalogue dataset; `dataset` then names it. */
  readonly data?: string;
  readonly labelColumn?: string;
  readonly imageSize?: number;
  readonly channels?: number;
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
  /** Absent: false (the plain ICNN head). */
  readonly icnnResidual?: boolean;
  /** Absent: 'constant'. */
  readonly divergenceSchedule?: HeadSchedule;
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

/** A task's own setting (see `Task.settings`), as validated; undefined when the config does not set it. */
export function settingOf<T>(config: RunConfig, key: string): T | undefined {
  return (config as unknown as Readonly<Record<string, T | undefined>>)[key];
}
