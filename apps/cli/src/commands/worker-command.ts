import { mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Job, Worker } from 'bullmq';
import { builtEntryPath } from '../built-entry';
import { CliError } from '../cli-error';
import { ensureRedisReachable } from '../queue/check-redis';
import { QUEUE_NAME, QUEUE_OUT_ENV, type QueueJobResult } from '../queue/queue-job';
import { parseRedisUrl, redisOptions, scrubSecrets } from '../queue/redis-url';
import { createProgress } from '../run/progress';

export interface WorkerCommandOptions {
  /** `redis://[[user]:password@]host[:port][/db]`. */
  readonly queue: string;
  /** Jobs run at the same time, each in its own child process (default 1). */
  readonly concurrency?: number;
  /** Folder that receives the run folders, instead of the submitter's (for machines without the shared path). */
  readonly outDir?: string;
  /** Seconds after which the job of a dead worker is handed to another (the lock duration; default 30). */
  readonly stallTimeout?: number;
  readonly quiet?: boolean;
  /** Resolves to stop the worker gracefully (default: the first SIGINT or SIGTERM; a second one stops at once). */
  readonly until?: Promise<void>;
}

function positiveInteger(value: number | undefined, fallback: number, flag: string): number {
  const n = value ?? fallback;
  if (!Number.isInteger(n) || n < 1)
    throw new CliError('worker', 'INVALID_ARGUMENT', `expected ${flag} to be a positive integer, got ${value}`);
  return n;
}

/** A job for log lines: its run name and id (the payload may be malformed: then the id alone). */
function jobLabel(job: Job | undefined): string {
  const config = (job?.data as { config?: { name?: unknown } } | undefined)?.config;
  const id = `job ${job?.id ?? '?'}`;
  return typeof config?.name === 'string' ? `${config.name} (${id})` : id;
}

function untilSignal(onFirst: () => void): { stopped: Promise<void>; force: Promise<void>; dispose: () => void } {
  let first: () => void = () => {};
  let second: () => void = () => {};
  const stopped = new Promise<void>((r) => {
    first = r;
  });
  const force = new Promise<void>((r) => {
    second = r;
  });
  let count = 0;
  const handler = () => {
    count++;
    if (count === 1) {
      onFirst();
      first();
    } else second();
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    stopped,
    force,
    dispose: () => {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}

/**
 * `bregman worker`: takes grid-cell jobs from the queue and runs each in a BullMQ sandboxed processor (a child
 * process per running job: training steps are synchronous and would otherwise starve the lock renewal, and a lost
 * lock hands a job to a second worker). Each job validates its payload like `bregman train`, runs into its run folder
 * (resuming from a checkpoint left by a dead worker) and returns its results.json. Runs until SIGINT/SIGTERM, then
 * lets the running jobs finish (a second signal stops at once; their jobs are taken over later).
 */
export async function workerCommand(options: WorkerCommandOptions): Promise<void> {
  const target = parseRedisUrl(options.queue, '--queue');
  const concurrency = positiveInteger(options.concurrency, 1, '--concurrency');
  const stallSeconds = options.stallTimeout ?? 30;
  if (!Number.isFinite(stallSeconds) || stallSeconds < 1 || stallSeconds > 86_400) {
    throw new CliError(
      'worker',
      'INVALID_ARGUMENT',
      `expected --stall-timeout to be seconds in [1, 86400], got ${options.stallTimeout}`,
    );
  }
  const processor = builtEntryPath('queue-processor');
  if (!processor) {
    throw new CliError(
      'worker',
      'UNAVAILABLE',
      'expected the built job processor dist/queue-processor.js, got none (run `pnpm build` first)',
    );
  }
  await ensureRedisReachable(target, 'worker');
  const outDir = options.outDir !== undefined ? resolve(options.outDir) : undefined;
  if (outDir) mkdirSync(outDir, { recursive: true });

  const log = createProgress({ quiet: options.quiet });
  const say = (text: string) => log.line(`worker: ${scrubSecrets(text, target)}`);
  const lockMs = Math.round(stallSeconds * 1000);
  const name = `${hostname()}:${process.pid}`;
  const worker = new Worker<unknown, QueueJobResult>(QUEUE_NAME, pathToFileURL(processor), {
    connection: { ...redisOptions(target), connectTimeout: 10_000 },
    name,
    concurrency,
    useWorkerThreads: false,
    workerForkOptions: { env: { ...process.env, ...(outDir ? { [QUEUE_OUT_ENV]: outDir } : {}) } },
    lockDuration: lockMs,
    stalledInterval: lockMs,
    // A job whose worker died is put back twice at most; a third death fails it (a run that kills its process).
    maxStalledCount: 2,
  });
  let lastError = '';
  worker.on('error', (error: Error) => {
    // ioredis repeats a connection error on each reconnection attempt: say it once until it changes.
    if (error.message !== lastError) say(`Redis error (retrying): ${error.message}`);
    lastError = error.message;
  });
  worker.on('ready', () => {
    lastError = '';
  });
  worker.on('active', (job) => {
    say(`started ${jobLabel(job)}${job.attemptsMade > 0 ? `, attempt ${job.attemptsMade + 1}` : ''}`);
  });
  worker.on('completed', (job, result) => {
    const how = result.reused
      ? ': finished before, results reused'
      : result.resumedFromEpoch !== null
        ? `: resumed after epoch ${result.resumedFromEpoch}`
        : '';
    say(`finished ${jobLabel(job)} in ${result.seconds.toFixed(0)} s on ${result.backend}${how}`);
  });
  worker.on('failed', (job, error) => {
    const attempts = job?.opts.attempts ?? 1;
    const final = error.name === 'UnrecoverableError' || (job?.attemptsMade ?? attempts) >= attempts;
    say(
      `failed ${jobLabel(job)}, attempt ${job?.attemptsMade ?? '?'} of ${attempts}${final ? '' : ' (will retry)'}: ${error.message}`,
    );
  });
  worker.on('stalled', (jobId) => {
    say(`job ${jobId} lost its worker (killed?): back in the queue, to resume from its last checkpoint`);
  });

  say(
    `${name} takes ${concurrency} job${concurrency === 1 ? '' : 's'} at a time from ${target.display} (queue ${QUEUE_NAME})${outDir ? `; run folders under ${outDir}` : ''}; Ctrl-C stops`,
  );
  const signals = untilSignal(() => say('stopping: letting the running jobs finish (Ctrl-C again to stop now)'));
  try {
    await Promise.race([options.until ?? new Promise<never>(() => {}), signals.stopped]);
    await Promise.race([worker.close(), signals.force.then(() => worker.close(true))]);
  } finally {
    signals.dispose();
  }
  say('stopped');
}
