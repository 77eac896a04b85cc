import { createHash } from 'node:crypto';
import type { JobsOptions } from 'bullmq';
import type { GridItemResult } from '../bench/run-grid-item';
import { type RunConfig, runName } from '../config/run-config';
import type { RunReportData } from '../report/report-data';

/** The BullMQ queue every `bregman bench --queue` submits to and every `bregman worker` takes from. */
export const QUEUE_NAME = 'bregman-bench';

/** Environment variable through which `bregman worker --out DIR` reaches its job processes. */
export const QUEUE_OUT_ENV = 'BREGMAN_QUEUE_OUT';

/** Version of {@link QueueJobPayload}: a worker refuses payloads of another version (clearly, without retrying). */
export const JOB_PAYLOAD_VERSION = 1;

/** What one job carries: one grid cell. Validated by the worker with the same schema as `bregman train`. */
export interface QueueJobPayload {
  readonly version: typeof JOB_PAYLOAD_VERSION;
  /** The validated run configuration (its hash is the job id). */
  readonly config: RunConfig;
  /** Absolute folder of the submitter that receives the run folders; a worker's `--out` replaces it. */
  readonly outDir: string;
  /** Name of the run folder inside `outDir`: `<run name>-<first 12 hex digits of the config hash>`. */
  readonly runFolder: string;
}

/** What a job returns through the queue (kept in Redis with the finished job, and on disk in the run folder). */
export interface QueueJobResult extends GridItemResult {
  /** The run's results.json, as written in its folder. */
  readonly report: RunReportData;
  /** The machine that ran (or reused) the job. */
  readonly host: string;
  /** The epoch of the checkpoint the run continued from (a job taken over from a dead worker), or null. */
  readonly resumedFromEpoch: number | null;
  /** True when the run folder already held the finished results of this config (nothing was trained). */
  readonly reused: boolean;
}

/**
 * Attempts and backoff of every job: a run that fails for a transient reason (a lost file system, an out-of-memory
 * kill) is retried after 10 s, then 20 s; a run that fails for a reason in its config fails at once (the worker
 * throws BullMQ's UnrecoverableError). Finished and failed jobs are kept: a finished job is what makes a
 * re-submission reuse its results, a failed one keeps its error for the submitter.
 */
export const JOB_OPTIONS: JobsOptions = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 10_000 },
  removeOnComplete: false,
  removeOnFail: false,
};

/** SHA-256 of the validated config (whose keys are in schema order, so equal configs give equal text). */
export function configHash(config: RunConfig): string {
  return createHash('sha256').update(JSON.stringify(config)).digest('hex');
}

/** The job id of a grid cell: the same config always gives the same id, so a re-submission never duplicates work. */
export function jobIdFor(config: RunConfig): string {
  return `run-${configHash(config).slice(0, 32)}`;
}

/** The job's payload for a grid cell whose run folders go under `outDir`. */
export function jobPayload(config: RunConfig, outDir: string): QueueJobPayload {
  return {
    version: JOB_PAYLOAD_VERSION,
    config,
    outDir,
    runFolder: `${runName(config)}-${configHash(config).slice(0, 12)}`,
  };
}
