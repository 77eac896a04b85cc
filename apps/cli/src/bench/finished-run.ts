import { readRunReport } from '../report/read-report-file';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CliError } from '../cli-error';
import type { RunConfig } from '../config/run-config';
import type { RunReportData } from '../report/report-data';
import { readCheckpointFile } from '../run/checkpoint-file';
import { readJson } from '../run/run-folder';
import { CHECKPOINT_FILE } from '../run/run-epochs';
import type { GridItemResult } from './run-grid-item';

/**
 * The finished run of `config` in `dir` (its results.json), or null when the folder has not finished one (absent,
 * empty, or a run that stopped before its results). What makes a grid resumable: `bench --resume` and a queue job
 * submitted again reuse it instead of training. Throws when the folder holds another config's run.
 */
export function readFinishedRun(
  dir: string,
  config: RunConfig,
  component: string,
): { result: GridItemResult; report: RunReportData } | null {
  const configPath = join(dir, 'config.json');
  if (!existsSync(configPath)) return null;
  if (JSON.stringify(readJson(configPath, component)) !== JSON.stringify(config)) {
    throw new CliError(
      component,
      'INVALID_ARGUMENT',
      `expected ${dir} to be the run folder of this config, got a folder with another config.json`,
    );
  }
  const resultsPath = join(dir, 'results.json');
  if (!existsSync(resultsPath)) return null;
  const report = readRunReport(resultsPath, component);
  return {
    result: {
      dir,
      rows: [...report.results],
      backend: report.backend.backend,
      seconds: 0,
      bestEpoch: bestEpochOf(report),
    },
    report,
  };
}

/** The epoch of a readable checkpoint in `dir`, or null (none, or unreadable: the run then starts over). */
export function checkpointEpoch(dir: string): number | null {
  const path = join(dir, CHECKPOINT_FILE);
  if (!existsSync(path)) return null;
  try {
    return readCheckpointFile<{ state: { epoch: number } }>(path).header.state.epoch;
  } catch {
    return null;
  }
}

/** The best epoch as the run's notes state it (results.json does not store it as a number). */
function bestEpochOf(report: RunReportData): number {
  for (const note of report.notes ?? []) {
    const match = /at epoch (\d+)/.exec(note);
    if (match) return Number(match[1]);
  }
  return 0;
}
