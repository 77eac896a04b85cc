import { mkdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { type BackendInfo, WorkerPool, initBackend } from '@empirical-bregman/runtime';
import { type Command, Option } from 'commander';
import { type BenchSelection, SUITES, type SuiteName, planBench } from '../bench/bench-suite';
import { type GridItemResult, runGridItem } from '../bench/run-grid-item';
import { gridResultLine, writeBenchReport, writePlan } from '../bench/write-bench-report';
import { builtEntryPath } from '../built-entry';
import { CliError } from '../cli-error';
import { type CliOutput, printJson } from '../cli/cli-output';
import { queueUrl } from '../cli/environment';
import { commaList, positiveInteger, requirePositiveInteger } from '../cli/flag-parsers';
import { readConfigFile } from '../config/run-config';
import { renderBenchMarkdown } from '../report/index';
import type { BenchReportData } from '../report/report-data';
import { createProgress } from '../run/progress';
import { createRunFolder } from '../run/run-folder';
import { backendSummary } from '../run/train-run';

export interface BenchCommandOptions extends BenchSelection {
  readonly outDir?: string;
  /** Parallel runs in worker threads (default: min(2, cores)); 1 runs in this process. */
  readonly workers?: number;
  /** `redis://[[user]:password@]host[:port][/db]`: run the grid on `bregman worker`s through this job queue. */
  readonly queue?: string;
  readonly quiet?: boolean;
}

/**
 * `bregman bench`: a grid of runs, one comparison table (mean ± 95% CI over seeds) and a comparison page. With
 * `queue`, the runs are jobs for `bregman worker`s on any machine that reaches the Redis server; the table and the
 * page are the same.
 */
export async function benchCommand(options: BenchCommandOptions): Promise<{ dir: string; data: BenchReportData }> {
  const plan = planBench(options);
  if (options.queue !== undefined) {
    if (options.workers !== undefined) {
      throw new CliError(
        'bench',
        'INVALID_ARGUMENT',
        'expected --workers without --queue (with a queue, parallelism is the workers you start: `bregman worker --queue URL --concurrency N`), got both',
      );
    }
    // Loaded only here: the job queue's client libraries cost a second at start-up that other commands do not pay.
    const { queueBench } = await import('../queue/queue-bench');
    return queueBench(plan, {
      suite: options.suite,
      queue: options.queue,
      ...(options.outDir !== undefined ? { outDir: options.outDir } : {}),
      ...(options.quiet !== undefined ? { quiet: options.quiet } : {}),
    });
  }
  const workers = requirePositiveInteger(options.workers ?? Math.min(2, availableParallelism()), '--workers');
  const progress = createProgress({ quiet: options.quiet });
  const backend: BackendInfo = await initBackend({ quiet: options.quiet });
  const dir = createRunFolder(options.outDir ?? 'runs', `bench-${options.suite}`);
  writePlan(dir, options.suite, plan);
  progress.line(
    `bench ${options.suite}: ${plan.items.length} runs${plan.skipped.length ? `, ${plan.skipped.length} skipped` : ''}, ${workers} worker${workers > 1 ? 's' : ''}; folder ${dir}`,
  );

  const started = Date.now();
  const results: (GridItemResult | undefined)[] = new Array(plan.items.length);
  let done = 0;
  const report = (i: number, r: GridItemResult) => {
    results[i] = r;
    done++;
    progress.line(gridResultLine(done, plan.items.length, plan.items[i]!.name, r));
  };
  const taskPath = workers > 1 ? builtEntryPath('bench-task') : null;
  if (taskPath) {
    const pool = await WorkerPool.create({ size: workers });
    try {
      await Promise.all(
        plan.items.map((item, i) =>
          pool
            .run<GridItemResult>(taskPath, 'runGridItemTask', { config: item.config, dir: join(dir, item.name) })
            .then((r) => report(i, r)),
        ),
      );
    } finally {
      await pool.close();
    }
  } else {
    for (const [i, item] of plan.items.entries()) {
      mkdirSync(join(dir, item.name), { recursive: true });
      report(i, await runGridItem({ config: item.config, dir: join(dir, item.name) }, backend));
    }
  }

  const data = await writeBenchReport(dir, options.suite, plan, results as GridItemResult[], backendSummary(backend));
  progress.line(
    `bench ${options.suite} finished in ${((Date.now() - started) / 1000).toFixed(0)} s; wrote ${join(dir, 'results.md')} and ${join(dir, 'report.html')}`,
  );
  return { dir, data };
}

/** `bregman bench`: the grid's filters, its output folder, the worker threads or the job queue. */
export function registerBenchCommand(program: Command, out: CliOutput): void {
  program
    .command('bench')
    .description('a grid of runs and one comparison table (mean ± 95% CI over seeds) with a comparison page')
    .addOption(new Option('--suite <name>', 'which grid').choices([...SUITES]).default('quick'))
    .option('--seeds <n>', "seeds per cell (default: the suite's)", positiveInteger('--seeds'))
    .option('--datasets <list>', 'only these datasets (comma-separated)', commaList('--datasets'))
    .option('--divergences <list>', 'only these divergence heads (comma-separated)', commaList('--divergences'))
    .option('--protocols <list>', 'only these protocols (class-disjoint, closed-set)', commaList('--protocols'))
    .option('--out <dir>', 'folder that receives <timestamp>-bench-<suite>/', 'runs')
    .option(
      '--workers <n>',
      'runs in parallel in worker threads (default: min(2, cores))',
      positiveInteger('--workers'),
    )
    .option(
      '--config <file>',
      'settings for every run of the grid (JSON or YAML, keys as in train --config; the grid sets dataset, protocol, divergence, seed)',
    )
    .option(
      '--queue [url]',
      'run the grid on `bregman worker`s through this Redis job queue: redis://[[user]:password@]host[:port][/db], or $BREGMAN_REDIS_URL when no URL is given (one job per run; re-submitting reuses finished runs)',
    )
    .option('--json', 'print only the results as one JSON document on stdout: { benchDir, report }')
    .option('-q, --quiet', 'no progress output')
    .action(async (opts: Record<string, unknown>) => {
      const { dir, data } = await benchCommand({
        suite: opts.suite as SuiteName,
        seeds: opts.seeds as number | undefined,
        datasets: opts.datasets as string[] | undefined,
        divergences: opts.divergences as string[] | undefined,
        protocols: opts.protocols as string[] | undefined,
        ...(opts.config ? { overrides: readConfigFile(opts.config as string) } : {}),
        outDir: opts.out as string,
        workers: opts.workers as number | undefined,
        queue: queueUrl(opts.queue as string | boolean | undefined, { command: 'bench', required: false }),
        quiet: Boolean(opts.quiet),
      });
      if (opts.json) {
        printJson(out, { benchDir: dir, report: data });
        return;
      }
      out.stdout(renderBenchMarkdown(data));
      out.stdout(`\nbench folder: ${dir} (open report.html)\n`);
    });
}
