import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { initBackend } from '@empirical-bregman/runtime';
import { type Command, Option } from 'commander';
import { type BenchPlan, type BenchSelection, SUITES, type SuiteName, planBench } from '../bench/bench-suite';
import { readPlan, writePlan } from '../bench/plan-file';
import { readTuning } from '../bench/tuning-file';
import { runGridLocally } from '../bench/run-grid-locally';
import { type BenchResults, gridFailureLine, gridResultLine, writeBenchReport } from '../bench/write-bench-report';
import { CliError } from '../cli-error';
import { type CliOutput, printJson } from '../cli/cli-output';
import { queueUrl } from '../cli/environment';
import { PartialFailure } from '../cli/exit-codes';
import { commaList, positiveInteger, requirePositiveInteger } from '../cli/flag-parsers';
import { readConfigFile } from '../config/run-config';
import { renderBenchMarkdown } from '../report/index';
import { createProgress } from '../run/progress';
import { createRunFolder } from '../run/run-folder';
import { backendSummary } from '../run/train-run';

export interface BenchCommandOptions extends BenchSelection {
  readonly outDir?: string;
  /** Parallel runs in worker threads (default: min(2, cores)); 1 runs in this process. */
  readonly workers?: number;
  /** `redis://[[user]:password@]host[:port][/db]`: run the grid on `bregman worker`s through this job queue. */
  readonly queue?: string;
  /**
   * The folder of an earlier in-process bench to complete: its plan.json is the grid (the selection and `outDir`
   * are ignored), finished cells are reused, the others run (from their checkpoint when they have one), and its
   * report is rewritten.
   */
  readonly resume?: string;
  readonly quiet?: boolean;
}

export interface BenchCommandResult {
  readonly dir: string;
  /** results.json: `failed` lists the cells that failed (the CLI then exits with code 6). */
  readonly data: BenchResults;
  /** Cells in the grid (finished + failed). */
  readonly cells: number;
}

/**
 * `bregman bench`: a grid of runs, one comparison table (mean ± 95% CI over seeds) and a comparison page. A cell
 * that fails does not stop the others; the report marks it. With `queue`, the runs are jobs for `bregman worker`s on
 * any machine that reaches the Redis server; the table and the page are the same.
 */
export async function benchCommand(options: BenchCommandOptions): Promise<BenchCommandResult> {
  if (options.queue !== undefined && (options.workers !== undefined || options.resume !== undefined)) {
    throw new CliError(
      'bench',
      'INVALID_ARGUMENT',
      options.resume !== undefined
        ? 'expected --resume without --queue (a queue bench resumes by submitting the same grid again: finished runs are reused), got both'
        : 'expected --workers without --queue (with a queue, parallelism is the workers you start: `bregman worker --queue URL --concurrency N`), got both',
    );
  }
  const workers = requirePositiveInteger(options.workers ?? Math.min(2, availableParallelism()), '--workers');
  if (options.resume !== undefined) {
    const { dir, suite, plan } = readPlan(options.resume, 'bench --resume');
    return benchHere(dir, suite, plan, { workers, quiet: options.quiet, resume: true });
  }
  const plan = planBench(options);
  if (options.queue !== undefined) {
    // Loaded only here: the job queue's client libraries cost a second at start-up that other commands do not pay.
    const { queueBench } = await import('../queue/queue-bench');
    return queueBench(plan, {
      suite: options.suite,
      queue: options.queue,
      ...(options.outDir !== undefined ? { outDir: options.outDir } : {}),
      ...(options.quiet !== undefined ? { quiet: options.quiet } : {}),
    });
  }
  return benchHere(undefined, options.suite, plan, { workers, quiet: options.quiet, outDir: options.outDir });
}

/** The in-process path: a new bench folder (or the resumed one), the grid in worker threads, the report. */
async function benchHere(
  resumedDir: string | undefined,
  suite: SuiteName,
  plan: BenchPlan,
  options: { workers: number; quiet?: boolean; outDir?: string; resume?: boolean },
): Promise<BenchCommandResult> {
  const progress = createProgress({ quiet: options.quiet });
  const backend = await initBackend({ quiet: options.quiet });
  let dir = resumedDir;
  if (!dir) {
    dir = createRunFolder(options.outDir ?? 'runs', `bench-${suite}`);
    writePlan(dir, suite, plan);
  }
  const { workers } = options;
  progress.line(
    `bench ${suite}${options.resume ? ' (resumed)' : ''}: ${plan.items.length} runs${plan.skipped.length ? `, ${plan.skipped.length} skipped` : ''}, ${workers} worker${workers > 1 ? 's' : ''}; folder ${dir}`,
  );
  const started = Date.now();
  let done = 0;
  const total = plan.items.length;
  const outcomes = await runGridLocally(plan.items, {
    benchDir: dir,
    workers,
    backend,
    reuseFinished: options.resume,
    onOutcome: (i, outcome, reused) => {
      done++;
      const name = plan.items[i]!.name;
      progress.line(
        outcome.status === 'failed'
          ? gridFailureLine(done, total, name, outcome.error)
          : reused
            ? `[${done}/${total}] ${name}: finished before, reused`
            : gridResultLine(done, total, name, outcome.result),
      );
    },
  });
  const data = await writeBenchReport(dir, suite, plan, outcomes, backendSummary(backend));
  progress.line(
    `bench ${suite} finished in ${((Date.now() - started) / 1000).toFixed(0)} s${data.failed.length ? ` with ${data.failed.length} failed` : ''}; wrote ${join(dir, 'results.md')} and ${join(dir, 'report.html')}`,
  );
  return { dir, data, cells: total };
}

/** Options that choose the grid or its folder: a resumed bench takes them from its plan.json. */
const GRID_OPTIONS = [
  'suite',
  'seeds',
  'datasets',
  'divergences',
  'methods',
  'smoke',
  'tune',
  'tuning',
  'protocols',
  'config',
  'out',
  'queue',
] as const;

/** `bregman bench`: the grid's filters, its output folder, the worker threads or the job queue, `--resume`. */
export function registerBenchCommand(program: Command, out: CliOutput): void {
  const bench = program
    .command('bench')
    .description('a grid of runs and one comparison table (mean ± 95% CI over seeds) with a comparison page')
    .addOption(new Option('--suite <name>', 'which grid').choices([...SUITES]).default('quick'))
    .option('--smoke', "the suite's small variant that CI runs (suites with one: methods)")
    .option(
      '--tune',
      "the hyper-parameter search instead of the suite: each method's trials (≤ 4) on the suite's tuning datasets, seed 1, validation on held-out classes; writes tuning.json",
    )
    .option(
      '--tuning <path>',
      "the search's choice: a tuning.json, or the `--tune` bench folder holding it (each method's chosen settings over its own)",
    )
    .option('--seeds <n>', "seeds per cell (default: the suite's)", positiveInteger('--seeds'))
    .option('--datasets <list>', 'only these datasets (comma-separated)', commaList('--datasets'))
    .option(
      '--data <path>',
      "your own data instead of the suite's datasets (as train --data; other --data settings via --config)",
    )
    .option('--divergences <list>', 'only these divergence heads (comma-separated)', commaList('--divergences'))
    .option('--protocols <list>', 'only these protocols (class-disjoint, closed-set)', commaList('--protocols'))
    .option(
      '--methods <list>',
      'only these methods (comma-separated; suites with a methods axis, e.g. --suite methods)',
      commaList('--methods'),
    )
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
    .option(
      '--resume <benchDir>',
      'complete an in-process bench folder: rerun its failed or unfinished cells, reuse the finished ones, rewrite its report',
    )
    .option('--json', 'print only the results as one JSON document on stdout: { benchDir, report }')
    .option('-q, --quiet', 'no progress output');
  bench.action(async (opts: Record<string, unknown>) => {
    if (opts.resume !== undefined) {
      const given = GRID_OPTIONS.filter((key) => bench.getOptionValueSource(key) === 'cli');
      if (given.length > 0) {
        throw new CliError(
          'bench --resume',
          'INVALID_ARGUMENT',
          `expected no grid options with --resume (the bench folder's plan.json is the grid), got ${given.map((k) => `--${k}`).join(', ')}`,
        );
      }
    }
    const queue = queueUrl(opts.queue as string | boolean | undefined, { command: 'bench', required: false });
    const { dir, data, cells } = await benchCommand({
      suite: opts.suite as SuiteName,
      seeds: opts.seeds as number | undefined,
      datasets: opts.datasets as string[] | undefined,
      divergences: opts.divergences as string[] | undefined,
      protocols: opts.protocols as string[] | undefined,
      ...(opts.methods !== undefined ? { methods: opts.methods as string[] } : {}),
      ...(opts.smoke ? { smoke: true } : {}),
      ...(opts.tune ? { tune: true } : {}),
      ...(opts.tuning !== undefined ? { tuned: readTuning(opts.tuning as string) } : {}),
      ...(opts.config || opts.data
        ? {
            overrides: {
              ...(opts.config ? readConfigFile(opts.config as string) : {}),
              ...(opts.data ? { data: resolve(opts.data as string) } : {}),
            },
          }
        : {}),
      outDir: opts.out as string,
      workers: opts.workers as number | undefined,
      queue,
      resume: opts.resume as string | undefined,
      quiet: Boolean(opts.quiet),
    });
    if (opts.json) printJson(out, { benchDir: dir, report: data });
    else {
      out.stdout(renderBenchMarkdown(data));
      out.stdout(`\nbench folder: ${dir} (open report.html)\n`);
    }
    if (data.failed.length > 0) {
      const retry =
        queue !== undefined
          ? 'submit the same grid again to retry them (finished runs are reused)'
          : `rerun them with \`bregman bench --resume ${dir}\``;
      throw new PartialFailure(
        `bench: ${data.failed.length} of ${cells} runs failed (${data.failed.map((f) => f.name).join(', ')}); the others' results and the report are in ${dir}; ${retry}`,
      );
    }
  });
}
