import { ensureDirectory } from '@empirical-bregman/node-io';
import { hostname } from 'node:os';
import { pathToFileURL } from 'node:url';
import { type Job, Worker } from 'bullmq';
import { Redis as IORedis } from 'ioredis';
import { createProgress } from '../run/progress';
import { ensureRedisReachable } from './check-redis';
import { failUnreadableJobs } from './fail-unreadable-jobs';
import { QUEUE_NAME, QUEUE_OUT_ENV, type QueueJobResult } from './queue-job';
import { type RedisTarget, redisOptions, scrubSecrets } from './redis-url';

export interface ServeQueueOptions {
  readonly target: RedisTarget;
  /** The built sandboxed processor (dist/queue-processor.js). */
  readonly processor: string;
  /** Jobs run at the same time, each in its own child process. */
  readonly concurrency: number;
  /** Absolute folder that receives the run folders instead of the submitter's. */
  readonly outDir?: string;
  /** Seconds after which the job of a dead worker is handed to another (the lock duration). */
  readonly stallSeconds: number;
  readonly quiet?: boolean;
  /** Resolves to stop the worker gracefully (default: the first SIGINT or SIGTERM; a second one stops at once). */
  readonly until?: Promise<void>;
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
 * The body of `bregman worker` (loaded only by it: BullMQ and ioredis cost a second at start-up): takes grid-cell
 * jobs from the queue and runs each in a BullMQ sandboxed processor (a child process per running job: training steps
 * are synchronous and would otherwise starve the lock renewal, and a lost lock hands a job to a second worker). Each
 * job validates its payload like `bregman train`, runs into its run folder (resuming from a checkpoint left by a
 * dead worker) and returns its results.json. Runs until SIGINT/SIGTERM, then lets the running jobs finish (a second
 * signal stops at once; their jobs are taken over later).
 */
export async function serveQueue(options: ServeQueueOptions): Promise<void> {
  const { target, concurrency, outDir } = options;
  await ensureRedisReachable(target, 'worker');
  if (outDir) ensureDirectory(outDir, "the worker's --out folder");

  const log = createProgress({ quiet: options.quiet });
  const say = (text: string) => log.line(`worker: ${scrubSecrets(text, target)}`);
  const lockMs = Math.round(options.stallSeconds * 1000);
  const name = `${hostname()}:${process.pid}`;
  const worker = new Worker<unknown, QueueJobResult>(QUEUE_NAME, pathToFileURL(options.processor), {
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
  // A job whose data is not JSON fails in BullMQ's own parsing, as a worker 'error', and would stay active forever.
  const janitor = new IORedis({ ...redisOptions(target), connectTimeout: 10_000, lazyConnect: true });
  let sweeping = false;
  worker.on('error', (error: Error) => {
    if (error instanceof SyntaxError && !sweeping) {
      sweeping = true;
      failUnreadableJobs(janitor, QUEUE_NAME)
        .then((ids) => {
          for (const id of ids) say(`failed job ${id}: its data is not JSON (not a job of bregman bench --queue)`);
        })
        .catch((sweepError: Error) => say(`could not fail an unreadable job: ${sweepError.message}`))
        .finally(() => {
          sweeping = false;
        });
      return;
    }
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
    janitor.disconnect();
  }
  say('stopped');
}
