import { existsSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { CliError } from '../cli-error';
import type { RunConfig } from '../config/run-config';
import type { CurvePoint, MetricValues } from '../report/report-data';
import { readCheckpointFile, writeCheckpointFile } from './checkpoint-file';
import { killPoint } from '../fault-injection';
import { epochRecord, rewriteMetrics } from './metrics-file';
import type { ProgressSink } from './progress';
import { appendMetrics } from './run-folder';
import type { FinishedTraining, TaskSession } from './task';

/** The run's last checkpoint: weights, optimiser state and run state, one atomic file rewritten after every epoch. */
export const CHECKPOINT_FILE = 'checkpoint.bin';
/** The weights of the best validation epoch so far (what the final evaluation and the saved model use). */
export const BEST_WEIGHTS_FILE = 'best-weights.bin';

/** Run state saved with each checkpoint (its JSON header), the same for every task. */
export interface RunState extends Record<string, unknown> {
  epoch: number;
  globalStep: number;
  /** The task's data stream position (e.g. the m-per-class sampler's state). */
  dataState: unknown;
  /** Best validation value of the task's selection metric so far (the untrained model's at first). */
  bestScore: number;
  bestEpoch: number;
  epochsWithoutGain: number;
  curves: CurvePoint[];
  untrainedBaseline: unknown;
  stopped: boolean;
  /** The session's data fingerprint when the run started (absent: data that cannot change). */
  dataFingerprint?: string;
}

export interface RunEpochsOptions {
  readonly config: RunConfig;
  /** The task's name, written into each checkpoint (a checkpoint of another task is refused on resume). */
  readonly task: string;
  readonly dir: string;
  readonly progress: ProgressSink;
  /** Continue from `dir`'s checkpoint. */
  readonly resume?: boolean;
  /** Test hook: stop (as if killed) after this many optimiser steps in this process. */
  readonly stopAfterSteps?: number;
}

export interface EpochsOutcome extends FinishedTraining {
  readonly stoppedEarly: boolean;
  readonly epochsRun: number;
  /** numTensors after each epoch: must not grow (logged; the tests assert it). */
  readonly tensorsPerEpoch: number[];
}

/** Thrown by the `stopAfterSteps` test hook to leave the run exactly as a crash would. */
export class SimulatedCrash extends Error {
  constructor() {
    super('simulated crash (stopAfterSteps)');
  }
}

/**
 * The one training loop of every task: epochs of `session.stepsPerEpoch` steps, validation after each, early
 * stopping after `config.patience` epochs without gain on the task's selection metric, the best weights kept, and a
 * checkpoint after every epoch (one atomic file: `kill -9` at any moment leaves the previous or the new checkpoint;
 * `resume` continues after the last finished epoch with the optimisers' moments and the data stream's position).
 * Ends with the best weights loaded in the session's model.
 */
export async function runEpochs(session: TaskSession, options: RunEpochsOptions): Promise<EpochsOutcome> {
  const { config, dir, progress } = options;
  const checkpointPath = join(dir, CHECKPOINT_FILE);
  const bestPath = join(dir, BEST_WEIGHTS_FILE);
  const better = (score: number, best: number) => (session.selection.better === 'higher' ? score > best : score < best);
  const score = (val: MetricValues) => val[session.selection.metric] ?? 0;

  let state: RunState;
  if (options.resume && existsSync(checkpointPath)) {
    const { header, arrays } = readCheckpointFile<{ task?: string; state: RunState }>(checkpointPath);
    if (header.task !== options.task)
      throw new CliError(
        'resume',
        'BAD_FORMAT',
        `expected a checkpoint of a ${options.task} run at ${checkpointPath}, got one of ${header.task ?? 'an older version'}`,
      );
    state = header.state;
    // The data first: on changed files the model may not even fit the checkpoint.
    const now = session.dataFingerprint ?? undefined;
    if (state.dataFingerprint !== now)
      throw new CliError(
        'resume',
        'BAD_FORMAT',
        `expected the data this run started on (fingerprint ${state.dataFingerprint?.slice(0, 12) ?? 'none'}…), got ${now ? `files with fingerprint ${now.slice(0, 12)}…` : 'other data'}: the data changed since the run started; start a new run`,
      );
    commitBestWeights(bestPath, state.bestEpoch);
    session.restoreWeights(arrays);
    await session.restoreOptimizers(arrays);
    session.restoreDataState(state.dataState);
    rewriteMetrics(dir, state.curves);
    progress.line(`resumed ${dir} after epoch ${state.epoch} (step ${state.globalStep})`);
  } else {
    const val = await session.validate();
    state = {
      epoch: 0,
      globalStep: 0,
      dataState: session.dataState(),
      bestScore: score(val),
      bestEpoch: 0,
      epochsWithoutGain: 0,
      curves: Object.entries(val).map(([metric, value]) => ({ epoch: 0, step: 0, split: 'val', metric, value })),
      untrainedBaseline: await session.untrainedBaseline(),
      stopped: false,
      ...(session.dataFingerprint ? { dataFingerprint: session.dataFingerprint } : {}),
    };
    // The best weights first: a checkpoint never refers to best weights that are not on disk (a kill between the two
    // leaves no checkpoint, and a resume starts the run again).
    writeBestWeights(bestPath, 0, session);
    killPoint('after-best-weights');
    await saveCheckpoint(checkpointPath, options.task, state, session);
    rewriteMetrics(dir, state.curves);
  }

  const tensorsPerEpoch: number[] = [];
  let stepsThisProcess = 0;
  const steps = session.stepsPerEpoch;
  while (session.trainable && !state.stopped && state.epoch < config.epochs) {
    const epoch = state.epoch + 1;
    let lossSum = 0;
    for (let step = 1; step <= steps; step++) {
      const lossValue = await session.step({ epoch, step });
      state.globalStep++;
      if (!Number.isFinite(lossValue)) {
        throw new CliError(
          'train',
          'NUMERICAL',
          `the ${session.lossName} became ${lossValue} at epoch ${epoch}, step ${step} (global step ${state.globalStep}); the last good checkpoint (after epoch ${state.epoch}) is kept in ${dir}. ${session.nonFiniteAdvice}`,
        );
      }
      lossSum += lossValue;
      progress.step({ epoch, epochs: config.epochs, step, steps, loss: lossValue });
      stepsThisProcess++;
      if (options.stopAfterSteps !== undefined && stepsThisProcess >= options.stopAfterSteps)
        throw new SimulatedCrash();
    }
    const train = await session.endEpoch(lossSum / steps);
    const val = await session.validate();
    state.epoch = epoch;
    state.dataState = session.dataState();
    for (const [split, values] of [
      ['train', train],
      ['val', val],
    ] as const) {
      for (const [metric, value] of Object.entries(values))
        state.curves.push({ epoch, step: state.globalStep, split, metric, value });
    }
    const improved = better(score(val), state.bestScore);
    if (improved) {
      state.bestScore = score(val);
      state.bestEpoch = epoch;
      state.epochsWithoutGain = 0;
      // Pending until the checkpoint that names this epoch as the best is on disk (commitBestWeights).
      writeBestWeights(pendingBestPath(bestPath), epoch, session);
      killPoint('after-best-weights');
    } else {
      state.epochsWithoutGain++;
      if (config.patience > 0 && state.epochsWithoutGain >= config.patience) state.stopped = true;
    }
    await saveCheckpoint(checkpointPath, options.task, state, session);
    killPoint('after-checkpoint');
    if (improved) commitBestWeights(bestPath, epoch);
    appendMetrics(dir, { ...epochRecord(state.curves, epoch), numTensors: tf.memory().numTensors });
    tensorsPerEpoch.push(tf.memory().numTensors);
    progress.line(
      `epoch ${epoch}/${config.epochs}: ${session.summarizeEpoch(train, val)}${improved ? ' (best)' : ''}${state.stopped ? `; early stop (no gain for ${config.patience} epochs)` : ''}`,
    );
  }

  // The final evaluation uses the best weights (early stopping).
  session.restoreWeights(readCheckpointFile(bestPath).arrays);
  return {
    untrainedBaseline: state.untrainedBaseline,
    bestScore: state.bestScore,
    bestEpoch: state.bestEpoch,
    curves: state.curves,
    stoppedEarly: state.stopped,
    epochsRun: state.epoch,
    tensorsPerEpoch,
  };
}

/** Where a new best epoch's weights wait until its checkpoint is written. */
function pendingBestPath(bestPath: string): string {
  return bestPath.replace(/\.bin$/, '.pending.bin');
}

/**
 * Makes best-weights.bin hold the weights of `bestEpoch`, the best epoch the last checkpoint records. A new best is
 * written aside (`best-weights.pending.bin`), then the checkpoint, then the pending file is renamed over the best
 * one: a kill before the checkpoint leaves a pending file of an epoch the checkpoint does not know (deleted here; the
 * epoch is trained again), a kill after it one of exactly `bestEpoch` (committed here). So the best weights and the
 * checkpoint always agree, whatever the backend the run resumes on.
 */
function commitBestWeights(bestPath: string, bestEpoch: number): void {
  const pending = pendingBestPath(bestPath);
  if (existsSync(pending)) {
    let epoch: unknown;
    try {
      epoch = readCheckpointFile<{ epoch?: number }>(pending).header.epoch;
    } catch {
      epoch = undefined; // a damaged pending file is never committed
    }
    if (epoch === bestEpoch) renameSync(pending, bestPath);
    else rmSync(pending, { force: true });
  }
  const best = existsSync(bestPath) ? readCheckpointFile<{ epoch?: number }>(bestPath).header.epoch : undefined;
  if (best !== bestEpoch)
    throw new CliError(
      'resume',
      'BAD_FORMAT',
      `expected the best weights of epoch ${bestEpoch} at ${bestPath} beside the checkpoint, got ${best === undefined ? 'no such file' : `those of epoch ${best}`}; start the run again`,
    );
}

function writeBestWeights(path: string, epoch: number, session: TaskSession): void {
  writeCheckpointFile(path, { kind: 'best-weights', epoch }, session.weightArrays());
}

async function saveCheckpoint(path: string, task: string, state: RunState, session: TaskSession): Promise<void> {
  const arrays = [...session.weightArrays(), ...(await session.optimizerArrays())];
  writeCheckpointFile(path, { kind: 'checkpoint', task, state }, arrays);
}
