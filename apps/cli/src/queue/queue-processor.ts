// The BullMQ sandboxed processor of `bregman worker` (built to dist/queue-processor.js): each job runs in a child
// process of the worker, so a synchronous training step never blocks the worker's lock renewal.
import { type ErrorCode, isEmpiricalBregmanError } from '@empirical-bregman/common';
import { type BackendInfo, initBackend } from '@empirical-bregman/runtime';
import { type SandboxedJob, UnrecoverableError } from 'bullmq';
import type { ProgressSink } from '../run/progress';
import { QUEUE_OUT_ENV, type QueueJobResult } from './queue-job';
import { runQueueJob } from './run-queue-job';

/** Error codes worth another attempt (the file system or a download); every other project error is in the config
 * or the data and would fail the same way again. */
const RETRYABLE: ReadonlySet<ErrorCode> = new Set(['IO', 'CHECKSUM_MISMATCH']);

/** Exit code of a child whose worker died: its job is taken over by another worker from the last checkpoint. */
const ORPHANED = 70;

// A child whose worker was killed (SIGKILL) must stop at once, or it would keep writing the run folder that another
// worker resumes. Training steps are synchronous, so the 'disconnect' event alone would come only after an epoch:
// the progress sink also checks the parent pid after every step (the child is re-parented when its worker dies).
const parentPid = process.ppid;
process.on('disconnect', () => process.exit(ORPHANED));
const watchParent: ProgressSink = {
  step() {
    if (process.ppid !== parentPid) process.exit(ORPHANED);
  },
  line() {},
};

let backend: Promise<BackendInfo> | undefined;

export default async function processBenchJob(job: SandboxedJob<unknown, QueueJobResult>): Promise<QueueJobResult> {
  try {
    backend ??= initBackend({ quiet: true });
    return await runQueueJob(job.data, {
      jobId: job.id ?? '?',
      outDir: process.env[QUEUE_OUT_ENV] || undefined,
      backend: await backend,
      progress: watchParent,
    });
  } catch (error) {
    if (isEmpiricalBregmanError(error) && !RETRYABLE.has(error.code)) throw new UnrecoverableError(error.message);
    throw error;
  }
}
