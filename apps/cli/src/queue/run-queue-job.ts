import { readRunReport } from '../report/read-report-file';
import { hostname } from 'node:os';
import { isAbsolute, join, relative, resolve } from 'node:path';
import type { BackendInfo } from '@empirical-bregman/runtime';
import { checkpointEpoch, readFinishedRun } from '../bench/finished-run';
import { runGridItem } from '../bench/run-grid-item';
import { CliError } from '../cli-error';
import type { RunConfig } from '../config/run-config';
import { validateRunConfig } from '../config/validate-run-config';
import type { ProgressSink } from '../run/progress';
import { JOB_PAYLOAD_VERSION, type QueueJobPayload, type QueueJobResult } from './queue-job';

export interface QueueJobContext {
  /** The job id (named in every error). */
  readonly jobId: string;
  /** The worker's `--out`: replaces the payload's `outDir` (machines that do not share the submitter's path). */
  readonly outDir?: string;
  readonly backend?: BackendInfo;
  /** Called after every optimiser step (the sandboxed processor watches its parent from there). */
  readonly progress?: ProgressSink;
}

/**
 * Checks a job's data before anything is written: the payload's shape and version, and the run config with the
 * same schema as `bregman train` (so the message is the one `train` would print). Throws a one-line CliError.
 */
export function validateJobPayload(data: unknown, jobId: string): QueueJobPayload {
  const where = `job ${jobId}`;
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new CliError(where, 'BAD_FORMAT', `expected a payload object, got ${JSON.stringify(data) ?? String(data)}`);
  }
  const raw = data as Record<string, unknown>;
  if (raw.version !== JOB_PAYLOAD_VERSION) {
    throw new CliError(
      where,
      'BAD_FORMAT',
      `expected payload version ${JOB_PAYLOAD_VERSION} (submitted by the same bregman version), got ${JSON.stringify(raw.version) ?? 'none'}`,
    );
  }
  const config = validateRunConfig(raw.config, `${where} config`);
  if (typeof raw.outDir !== 'string' || raw.outDir === '') {
    throw new CliError(where, 'BAD_FORMAT', `expected "outDir" to be a folder path, got ${JSON.stringify(raw.outDir)}`);
  }
  if (typeof raw.runFolder !== 'string' || !/^[A-Za-z0-9._-]+$/.test(raw.runFolder) || /^\.+$/.test(raw.runFolder)) {
    throw new CliError(
      where,
      'BAD_FORMAT',
      `expected "runFolder" to be a folder name (letters, digits, . _ -), got ${JSON.stringify(raw.runFolder)}`,
    );
  }
  return { version: JOB_PAYLOAD_VERSION, config, outDir: raw.outDir, runFolder: raw.runFolder };
}

/**
 * The submitter's folder for a job's run, confined to the worker's root: the folder the worker was started in (its
 * job processes inherit it). Whoever can write to Redis can write a job, so a job naming a folder outside the root
 * (`/etc`, `../..`) is refused, not trusted; workers that should write elsewhere get `--out DIR`, which replaces the
 * job's folder altogether.
 */
export function confinedOutDir(outDir: string, jobId: string, root = process.cwd()): string {
  const full = resolve(root, outDir);
  const inside = relative(root, full);
  if (inside.startsWith('..') || isAbsolute(inside))
    throw new CliError(
      `job ${jobId}`,
      'INVALID_ARGUMENT',
      `expected "outDir" inside the worker's root ${root} (start the worker there, or give it --out DIR), got ${JSON.stringify(outDir)}`,
    );
  return full;
}

/**
 * One queue job: validates the payload, then runs its grid cell into `<outDir>/<runFolder>` and returns the run's
 * results.json. The folder is what makes faults harmless: a job taken over from a dead worker continues from the
 * folder's last checkpoint (`resume`), and a folder that already holds this config's results (a job lost with a
 * Redis restart and submitted again) is reused without training.
 */
export async function runQueueJob(data: unknown, context: QueueJobContext): Promise<QueueJobResult> {
  const payload = validateJobPayload(data, context.jobId);
  const dir = resolve(context.outDir ?? confinedOutDir(payload.outDir, context.jobId), payload.runFolder);
  const started = Date.now();
  const finished = readFinishedRun(dir, payload.config, `job ${context.jobId}`);
  if (finished) {
    return {
      ...finished.result,
      seconds: (Date.now() - started) / 1000,
      report: finished.report,
      host: hostname(),
      resumedFromEpoch: null,
      reused: true,
    };
  }
  const resumedFromEpoch = checkpointEpoch(dir);
  const config: RunConfig = payload.config;
  const result = await runGridItem(
    { config, dir, resume: resumedFromEpoch !== null },
    context.backend,
    context.progress,
  );
  const report = readRunReport(join(dir, 'results.json'), `job ${context.jobId}`);
  return { ...result, report, host: hostname(), resumedFromEpoch, reused: false };
}
