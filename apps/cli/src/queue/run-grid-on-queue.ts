import { setTimeout as sleep } from 'node:timers/promises';
import { Queue } from 'bullmq';
import { join } from 'node:path';
import type { GridItem } from '../bench/bench-suite';
import type { GridCellOutcome } from '../bench/grid-cell-outcome';
import { CliError } from '../cli-error';
import { JOB_OPTIONS, QUEUE_NAME, type QueueJobPayload, type QueueJobResult, jobIdFor, jobPayload } from './queue-job';
import type { QueueStatus } from './queue-status';
import { type RedisTarget, redisOptions, scrubSecrets } from './redis-url';

export interface QueueGridOptions {
  readonly target: RedisTarget;
  /** Absolute folder that receives the run folders (unless a worker has its own `--out`). */
  readonly runsDir: string;
  readonly status: QueueStatus;
  /** Called once per grid cell when its job has ended (finished or failed), in the order they end; `earlier` when it
   * had finished before this submission (its stored result is reused). */
  readonly onOutcome?: (index: number, outcome: GridCellOutcome<QueueJobResult>, earlier: boolean) => void;
  /** How often the jobs' states are read (ms). */
  readonly pollMs?: number;
}

/**
 * Runs a grid through the job queue: one job per cell, its id the hash of the cell's config (so submitting the same
 * grid again never duplicates work: finished jobs give their stored results at once, failed ones are retried), then
 * waits for every job, reporting done / running / failed / queued. A job that disappears (Redis restarted without
 * persistence) is submitted again; its worker then finds the finished run folder and reuses it. Resolves with one
 * outcome per cell in grid order: a failed job (after its attempts) is an outcome with its reason, not a rejection.
 */
export async function runGridOnQueue(
  items: readonly GridItem[],
  options: QueueGridOptions,
): Promise<GridCellOutcome<QueueJobResult>[]> {
  const { target, status } = options;
  const queue = new Queue<QueueJobPayload, QueueJobResult>(QUEUE_NAME, {
    connection: { ...redisOptions(target), connectTimeout: 10_000 },
  });
  let lastError = '';
  queue.on('error', (error: Error) => {
    const message = scrubSecrets(error.message, target);
    if (message !== lastError) status.line(`queue: Redis error (retrying): ${message}`);
    lastError = message;
  });
  try {
    const ids = items.map((item) => jobIdFor(item.config));
    const submit = (i: number) =>
      queue.add('run', jobPayload(items[i]!.config, options.runsDir), { ...JOB_OPTIONS, jobId: ids[i]! });
    const earlier = new Set<number>();
    let retried = 0;
    for (const [i, id] of ids.entries()) {
      const existing = await queue.getJob(id);
      if (!existing) {
        await submit(i);
        continue;
      }
      const state = await existing.getState();
      if (state === 'completed') earlier.add(i);
      if (state === 'failed') {
        await existing.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
        retried++;
      }
    }
    const workers = await queue.getWorkersCount().catch(() => -1);
    status.line(
      `queue ${target.display}: ${items.length} jobs (${earlier.size} already finished${retried ? `, ${retried} failed before and retried` : ''}); ${workers === 0 ? 'no worker is connected yet: start one with `bregman worker --queue URL`' : `${workers} worker${workers === 1 ? '' : 's'} connected`}`,
    );

    const outcomes: GridCellOutcome<QueueJobResult>[] = new Array(items.length);
    let failures = 0;
    const pending = new Set(ids.keys());
    for (;;) {
      const states = await Promise.all([...pending].map(async (i) => [i, await queue.getJobState(ids[i]!)] as const));
      let running = 0;
      for (const [i, state] of states) {
        if (state === 'completed') {
          const job = await queue.getJob(ids[i]!);
          const value = job?.returnvalue;
          if (!value || !Array.isArray(value.rows)) {
            throw new CliError(
              'bench --queue',
              'BAD_FORMAT',
              `expected job ${ids[i]} (${items[i]!.name}) to return run results, got ${JSON.stringify(value)?.slice(0, 80) ?? 'nothing'} (was it run by another program?)`,
            );
          }
          outcomes[i] = { status: 'finished', result: value };
          pending.delete(i);
          options.onOutcome?.(i, outcomes[i]!, earlier.has(i));
        } else if (state === 'failed') {
          const job = await queue.getJob(ids[i]!);
          const reason = scrubSecrets(job?.failedReason ?? 'no reason recorded', target);
          failures++;
          const dir = join(options.runsDir, jobPayload(items[i]!.config, options.runsDir).runFolder);
          outcomes[i] = { status: 'failed', dir, error: { code: null, message: `job ${ids[i]}: ${reason}` } };
          pending.delete(i);
          options.onOutcome?.(i, outcomes[i]!, false);
        } else if (state === 'unknown') {
          status.line(`job ${ids[i]} (${items[i]!.name}) is gone from Redis (a restart?): submitted again`);
          await submit(i);
        } else if (state === 'active') {
          running++;
        }
      }
      const done = items.length - pending.size - failures;
      status.update({ done, running, failed: failures, queued: pending.size - running, total: items.length });
      if (pending.size === 0) break;
      await sleep(options.pollMs ?? 500);
    }
    status.end();
    return outcomes;
  } finally {
    await queue.close();
  }
}
