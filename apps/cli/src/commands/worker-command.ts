import { resolve } from 'node:path';
import type { Command } from 'commander';
import { builtEntryPath } from '../built-entry';
import { CliError } from '../cli-error';
import type { CliOutput } from '../cli/cli-output';
import { queueUrl } from '../cli/environment';
import { positiveInteger, requirePositiveInteger } from '../cli/flag-parsers';
import { parseRedisUrl } from '../queue/redis-url';

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

/**
 * `bregman worker`: validates its settings, then serves the job queue until stopped (see `serveQueue`: each job in
 * its own child process, a dead worker's job resumed by another from its last checkpoint).
 */
export async function workerCommand(options: WorkerCommandOptions): Promise<void> {
  const target = parseRedisUrl(options.queue, '--queue');
  const concurrency = requirePositiveInteger(options.concurrency ?? 1, '--concurrency');
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
  // Loaded only here: the job queue's client libraries cost a second at start-up that other commands do not pay.
  const { serveQueue } = await import('../queue/serve-queue');
  await serveQueue({
    target,
    processor,
    concurrency,
    stallSeconds,
    ...(options.outDir !== undefined ? { outDir: resolve(options.outDir) } : {}),
    ...(options.quiet !== undefined ? { quiet: options.quiet } : {}),
    ...(options.until ? { until: options.until } : {}),
  });
}

/** `bregman worker --queue URL [--concurrency N] [--out DIR] [--stall-timeout S]`. */
export function registerWorkerCommand(program: Command, _out: CliOutput): void {
  program
    .command('worker')
    .description(
      'run grid jobs of `bregman bench --queue` from a Redis job queue, each in its own process, until Ctrl-C',
    )
    .option(
      '--queue [url]',
      'the job queue: redis://[[user]:password@]host[:port][/db] (the password is never printed; default: $BREGMAN_REDIS_URL)',
    )
    .option(
      '--concurrency <n>',
      'jobs at the same time, one process each (default: 1)',
      positiveInteger('--concurrency'),
    )
    .option(
      '--out <dir>',
      "folder for the run folders (default: the submitter's --out/queue, a path every machine shares, which must lie inside the folder the worker was started in)",
    )
    .option(
      '--stall-timeout <seconds>',
      'how long a job stays taken after its worker dies before another worker resumes it (default: 30)',
      positiveInteger('--stall-timeout'),
    )
    .option('-q, --quiet', 'no log lines')
    .action(
      async (opts: {
        queue?: string | boolean;
        concurrency?: number;
        out?: string;
        stallTimeout?: number;
        quiet?: boolean;
      }) => {
        await workerCommand({
          queue: queueUrl(opts.queue, { command: 'worker', required: true })!,
          concurrency: opts.concurrency,
          outDir: opts.out,
          stallTimeout: opts.stallTimeout,
          quiet: opts.quiet,
        });
      },
    );
}
