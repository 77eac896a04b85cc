import { join } from 'node:path';
import { type BackendInfo, initBackend } from '@empirical-bregman/runtime';
import { failPoint } from '../fault-injection';
import { type RunConfig, runName } from '../config/run-config';
import type { ResultRow } from '../report/report-data';
import { type ProgressSink, createProgress } from '../run/progress';
import { writeJson } from '../run/run-folder';
import { trainRun } from '../run/train-run';
import { writeRunOutputs } from '../run/write-outputs';

export interface GridItemPayload {
  readonly config: RunConfig;
  readonly dir: string;
  readonly resume?: boolean;
}

export interface GridItemResult {
  readonly dir: string;
  readonly rows: ResultRow[];
  readonly backend: string;
  readonly seconds: number;
  readonly bestEpoch: number;
}

/**
 * Runs one grid cell into its folder (config.json, checkpoints, results, report), quietly. Used in-process, as the
 * worker task of the parallel bench (each worker has its own backend) and by the queue's job processor, which passes
 * a `progress` sink of its own (it is called after every optimiser step).
 */
export async function runGridItem(
  payload: GridItemPayload,
  backend?: BackendInfo,
  progress: ProgressSink = createProgress({ quiet: true }),
): Promise<GridItemResult> {
  failPoint(`cell/${runName(payload.config)}`);
  const started = Date.now();
  const info = backend ?? (await initBackend({ quiet: true }));
  writeJson(join(payload.dir, 'config.json'), payload.config);
  const outcome = await trainRun(payload.config, {
    dir: payload.dir,
    backend: info,
    progress,
    resume: payload.resume,
  });
  await writeRunOutputs(payload.dir, outcome.report);
  return {
    dir: payload.dir,
    rows: [...outcome.report.results],
    backend: info.backend,
    seconds: (Date.now() - started) / 1000,
    bestEpoch: outcome.bestEpoch,
  };
}
