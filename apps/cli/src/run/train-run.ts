import type { BackendInfo } from '@empirical-bregman/runtime';
import type { RunConfig } from '../config/run-config';
import { taskOfConfig } from '../config/validate-run-config';
import type { BackendSummary, RunReportData } from '../report/report-data';
import type { ProgressSink } from './progress';
import { runEpochs } from './run-epochs';

export interface TrainRunOptions {
  /** The run folder, or a function that creates it: called only once the data are loaded and the config is known to
   * work, so a run that never starts writes nothing. */
  readonly dir: string | (() => string);
  readonly backend: BackendInfo;
  readonly progress: ProgressSink;
  /** Continue from `dir`'s checkpoint. */
  readonly resume?: boolean;
  /** Test hook: stop (as if killed) after this many optimiser steps in this process. */
  readonly stopAfterSteps?: number;
}

/** What a finished run returns (also written to results.json). */
export interface RunOutcome {
  readonly report: RunReportData;
  readonly stoppedEarly: boolean;
  readonly bestEpoch: number;
  readonly epochsRun: number;
  /** numTensors after each epoch: must not grow (logged; the tests assert it). */
  readonly tensorsPerEpoch: number[];
}

export function backendSummary(info: BackendInfo): BackendSummary {
  const n = info.native;
  const native = !n
    ? null
    : n.enabled
      ? `${n.library}, ${n.threads} thread${n.threads === 1 ? '' : 's'}, ${n.core}`
      : `off: ${n.reason}`;
  return { backend: info.backend, tfjsVersion: info.tfjsVersion, simd: info.simd, threads: info.threads, native };
}

/**
 * One training run of any task: the task builds its data and model (nothing is written if that fails), the one
 * epoch loop trains it (early stopping, best weights, checkpoints, resume), then the task evaluates the best weights
 * and saves the model.
 */
export async function trainRun(config: RunConfig, options: TrainRunOptions): Promise<RunOutcome> {
  const task = taskOfConfig(config);
  const session = await task.start(config, { backend: options.backend, progress: options.progress });
  try {
    const dir = typeof options.dir === 'string' ? options.dir : options.dir();
    const trained = await runEpochs(session, {
      config,
      task: task.name,
      dir,
      progress: options.progress,
      ...(options.resume !== undefined ? { resume: options.resume } : {}),
      ...(options.stopAfterSteps !== undefined ? { stopAfterSteps: options.stopAfterSteps } : {}),
    });
    const part = await session.finish(dir, trained);
    const report: RunReportData = {
      title: part.title,
      createdAt: new Date().toISOString(),
      backend: backendSummary(options.backend),
      config: { ...config },
      curves: trained.curves as RunReportData['curves'],
      results: part.results,
      ...part.sections,
      notes: part.notes,
    };
    return {
      report,
      stoppedEarly: trained.stoppedEarly,
      bestEpoch: trained.bestEpoch,
      epochsRun: trained.epochsRun,
      tensorsPerEpoch: trained.tensorsPerEpoch,
    };
  } finally {
    await session.dispose();
  }
}
