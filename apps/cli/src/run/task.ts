import type { BackendInfo } from '@empirical-bregman/runtime';
import type { RunConfig } from '../config/run-config';
import type { Schema } from '../config/schema';
import type { CurvePoint, MetricValues, ResultRow, RunReportData } from '../report/report-data';
import type { NamedArray } from '@empirical-bregman/common';
import type { ProgressSink } from './progress';

/**
 * A kind of run: what `bregman train` trains and how it is scored (retrieval on labelled data, divergence regression
 * on pairs, …). A task knows its data, its model and its metrics; the one generic loop (`runEpochs`) owns what every
 * run needs alike: epochs and steps, early stopping on the task's validation metric, best weights, checkpoints and
 * `--resume`, the metrics file, a failure on a non-finite loss, and the test hook that simulates a crash. A new task
 * is its own folder under `src/tasks/` plus one line in `src/tasks/task-registry.ts`.
 */
export interface Task {
  /** The `task` setting that selects it, e.g. `'retrieval'`. */
  readonly name: string;
  /** One line for `--help` and the docs. */
  readonly description: string;
  /** True when its runs save an embedding model (`model/`): `embed`, `query` and `eval` apply to them. */
  readonly savesEmbeddingModel: boolean;
  /**
   * Settings of its own, beside the shared ones of `RUN_CONFIG_SCHEMA` (same form: kind, range, default, doc). They are
   * accepted only in configs of this task, become `bregman train` flags, and are read with `settingOf(config, key)`.
   */
  readonly settings?: Schema;
  /**
   * Datasets this task makes itself (not from the datasets catalogue); a config naming one of them as its `dataset`
   * selects this task without a `task` setting.
   */
  readonly dataNames?: readonly string[];
  /**
   * Settings this task changes from the run defaults, for a raw config of this task (applied only to keys the config
   * does not set; a task without its own defaults omits this).
   */
  defaults?(raw: Readonly<Record<string, unknown>>): Record<string, unknown>;
  /** Rejects settings the task cannot honour, with one line naming the key (after the schema has checked types). */
  checkConfig?(config: RunConfig, where: string): void;
  /**
   * Loads or makes the data, checks that the config can train on it, and builds the model and its optimisers —
   * everything in memory: a run that cannot start fails here, before its folder exists. The session belongs to the
   * caller (`dispose()`).
   */
  start(config: RunConfig, context: TaskContext): Promise<TaskSession>;
}

export interface TaskContext {
  /** The backend this thread trains on (data-parallel workers run the same one). */
  readonly backend: BackendInfo;
  readonly progress: ProgressSink;
}

/** Where a step falls: epochs and steps count from 1. */
export interface StepPosition {
  readonly epoch: number;
  readonly step: number;
}

/** One trained model of a task, as the run loop drives it. */
export interface TaskSession {
  /** Optimiser steps per epoch. */
  readonly stepsPerEpoch: number;
  /** False when the model has nothing to learn (a fixed head): the run evaluates it as it is, with no epochs. */
  readonly trainable: boolean;
  /** The validation metric early stopping follows, and which way is better. */
  readonly selection: { readonly metric: string; readonly better: 'higher' | 'lower' };
  /**
   * SHA-256 of the data files the run reads (users' files), or null/absent for data that cannot change (a catalogue
   * dataset, generated pairs). A resume on data with another fingerprint is refused.
   */
  readonly dataFingerprint?: string | null;
  /** What the loss is called in messages (`'loss'`, `'regression MSE'`). */
  readonly lossName: string;
  /** The advice appended when the loss becomes NaN or infinite (which flags to change). */
  readonly nonFiniteAdvice: string;
  /** Validation metrics of the current weights (the first call scores the untrained model). */
  validate(): Promise<MetricValues>;
  /** Test metrics of the untrained model, computed once at the start and kept in the checkpoint (JSON). */
  untrainedBaseline(): Promise<unknown>;
  /** One optimiser step; returns the batch's loss. */
  step(at: StepPosition): Promise<number>;
  /**
   * After an epoch's last step: this thread's model holds the trained weights (data-parallel: copied back), and the
   * epoch's training curve values come back in the order they are recorded (the mean loss first).
   */
  endEpoch(meanLoss: number): Promise<MetricValues>;
  /** The part of the epoch line after "epoch e/E: ", e.g. `train loss 0.1234, val MAP@R 0.5678`. */
  summarizeEpoch(train: MetricValues, val: MetricValues): string;
  /** Every learned value of the model (what best-weights.bin holds). */
  weightArrays(): NamedArray<'float32'>[];
  /** Puts back what `weightArrays` saved; one line naming the array when the checkpoint does not fit the model. */
  restoreWeights(arrays: ReadonlyMap<string, NamedArray<'float32'>>): void;
  /** The optimisers' state, for the checkpoint. */
  optimizerArrays(): Promise<NamedArray<'float32'>[]>;
  restoreOptimizers(arrays: ReadonlyMap<string, NamedArray<'float32'>>): Promise<void>;
  /** Where the data stream is (e.g. the sampler's state), saved after each epoch so a resumed run draws the same. */
  dataState(): unknown;
  restoreDataState(state: unknown): void;
  /**
   * With the best weights loaded: the test results (against the untrained baseline), the model files under
   * `dir/model/`, and the task's part of the report.
   */
  finish(dir: string, run: FinishedTraining): Promise<TaskReport>;
  /** Frees the model, optimisers and any workers. */
  dispose(): Promise<void>;
}

/** What the loop hands to `finish`. */
export interface FinishedTraining {
  readonly untrainedBaseline: unknown;
  readonly bestScore: number;
  readonly bestEpoch: number;
  readonly curves: readonly CurvePoint[];
}

/** The task's part of a run report; the loop adds the config, backend, curves and time. */
export interface TaskReport {
  readonly title: string;
  readonly results: ResultRow[];
  readonly notes: string[];
  /** Figures and other optional report sections (embedding projection, φ surface, retrieval examples, …). */
  readonly sections: Partial<RunReportData>;
}
