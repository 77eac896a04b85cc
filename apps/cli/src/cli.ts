import { readFileSync } from 'node:fs';
import { isEmpiricalBregmanError } from '@empirical-bregman/common';
import { Command, CommanderError, Option } from 'commander';
import { RUN_CONFIG_SCHEMA, readConfigFile } from './config/run-config';
import type { FieldSpec } from './config/schema';
import { SUITES, type SuiteName } from './bench/bench-suite';
import { benchCommand } from './commands/bench-command';
import { dataFetchCommand, dataListCommand } from './commands/data-command';
import { embedCommand } from './commands/embed-command';
import { evalCommand } from './commands/eval-command';
import { queryCommand } from './commands/query-command';
import { reportCommand } from './commands/report-command';
import { trainCommand } from './commands/train-command';
import { renderBenchMarkdown, renderResultsMarkdown } from './report/index';

const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string })
  .version;

/** Usage errors: one line, exit code 2. */
class UsageError extends Error {}

function kebab(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** Converts a flag's text to the config value its schema expects (validation proper happens in the schema). */
function parseFlag(spec: FieldSpec, flag: string, text: string): unknown {
  switch (spec.kind) {
    case 'number': {
      const n = Number(text);
      if (text.trim() === '' || Number.isNaN(n))
        throw new UsageError(`--${flag} expects a number, got ${JSON.stringify(text)}`);
      return n;
    }
    case 'numberList':
      return text.split(',').map((part) => {
        const n = Number(part);
        if (part.trim() === '' || Number.isNaN(n))
          throw new UsageError(`--${flag} expects numbers separated by commas, got ${JSON.stringify(text)}`);
        return n;
      });
    case 'boolean':
      return text === 'true';
    default:
      return text;
  }
}

/** Adds one flag per run setting (`--embedding-dim`, …) with its doc and default. */
function addConfigFlags(command: Command): void {
  for (const [key, spec] of Object.entries(RUN_CONFIG_SCHEMA) as [string, FieldSpec][]) {
    const flag = kebab(key);
    const defaultText =
      'default' in spec && spec.default !== undefined
        ? ` (default: ${Array.isArray(spec.default) ? spec.default.join(',') : spec.default})`
        : '';
    const option = new Option(`--${flag} <value>`, `${spec.doc}${defaultText}`);
    if (spec.kind === 'enum') option.choices([...spec.values]);
    option.argParser((text: string) => parseFlag(spec, flag, text));
    command.addOption(option);
  }
}

function settingsFromFlags(opts: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(RUN_CONFIG_SCHEMA)) if (opts[key] !== undefined) out[key] = opts[key];
  return out;
}

/** Where the CLI writes (the process's streams, or a test's buffers). */
export interface CliOutput {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

export function buildProgram(out: CliOutput): Command {
  const program = new Command('bregman')
    .description('Deep metric learning with learned Bregman divergences: train, benchmark, evaluate, report.')
    .version(VERSION, '-V, --version')
    .exitOverride()
    .configureOutput({
      writeOut: out.stdout,
      writeErr: out.stderr,
      // Usage errors as one line: "bregman: error: unknown option '--epoch' (Did you mean --epochs?)".
      outputError: (text, write) => write(`bregman: ${text.trim().replace(/\s*\n\s*/g, ' ')} (see --help)\n`),
    });

  const train = program
    .command('train')
    .description('one training run from flags and/or a config file (JSON or YAML); writes runs/<timestamp>-<name>/')
    .option('--config <file>', 'config file (JSON or YAML); flags override it')
    .option('--resume <runDir>', 'continue a run after a crash from its last checkpoint')
    .option('-q, --quiet', 'no progress output')
    .exitOverride();
  addConfigFlags(train);
  train.action(async (opts: Record<string, unknown>) => {
    const { dir, outcome } = await trainCommand({
      settings: settingsFromFlags(opts),
      configFile: opts.config as string | undefined,
      resume: opts.resume as string | undefined,
      quiet: Boolean(opts.quiet),
    });
    out.stdout(renderResultsMarkdown(outcome.report));
    out.stdout(`\nrun folder: ${dir}\n`);
  });

  const list = (what: string) => (text: string) => {
    const parts = text
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean);
    if (parts.length === 0)
      throw new UsageError(`--${what} expects a comma-separated list, got ${JSON.stringify(text)}`);
    return parts;
  };
  program
    .command('bench')
    .description('a grid of runs and one comparison table (mean ± 95% CI over seeds) with a comparison page')
    .addOption(new Option('--suite <name>', 'which grid').choices([...SUITES]).default('quick'))
    .option('--seeds <n>', "seeds per cell (default: the suite's)", (t: string) => {
      const n = Number(t);
      if (!Number.isInteger(n) || n < 1)
        throw new UsageError(`--seeds expects a positive integer, got ${JSON.stringify(t)}`);
      return n;
    })
    .option('--datasets <list>', 'only these datasets (comma-separated)', list('datasets'))
    .option('--divergences <list>', 'only these divergence heads (comma-separated)', list('divergences'))
    .option('--protocols <list>', 'only these protocols (class-disjoint, closed-set)', list('protocols'))
    .option('--out <dir>', 'folder that receives runs/<timestamp>-bench-<suite>/', 'runs')
    .option('--workers <n>', 'runs in parallel in worker threads (default: min(2, cores))', (t: string) => {
      const n = Number(t);
      if (!Number.isInteger(n) || n < 1)
        throw new UsageError(`--workers expects a positive integer, got ${JSON.stringify(t)}`);
      return n;
    })
    .option(
      '--config <file>',
      'settings for every run of the grid (JSON or YAML, keys as in train --config; the grid sets dataset, protocol, divergence, seed)',
    )
    .option(
      '--queue <url>',
      'run the grid on `bregman worker`s through this Redis job queue: redis://[[user]:password@]host[:port][/db] (one job per run; re-submitting reuses finished runs)',
    )
    .option('-q, --quiet', 'no progress output')
    .exitOverride()
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
        ...(opts.queue !== undefined ? { queue: opts.queue as string } : {}),
        quiet: Boolean(opts.quiet),
      });
      out.stdout(renderBenchMarkdown(data));
      out.stdout(`\nbench folder: ${dir} (open report.html)\n`);
    });

  const positive = (flag: string) => (t: string) => {
    const n = Number(t);
    if (!Number.isInteger(n) || n < 1)
      throw new UsageError(`${flag} expects a positive integer, got ${JSON.stringify(t)}`);
    return n;
  };
  program
    .command('worker')
    .description(
      'run grid jobs of `bregman bench --queue` from a Redis job queue, each in its own process, until Ctrl-C',
    )
    .requiredOption(
      '--queue <url>',
      'the job queue: redis://[[user]:password@]host[:port][/db] (the password is never printed)',
    )
    .option('--concurrency <n>', 'jobs at the same time, one process each (default: 1)', positive('--concurrency'))
    .option(
      '--out <dir>',
      "folder for the run folders (default: the submitter's --out/queue, a path shared by every machine)",
    )
    .option(
      '--stall-timeout <seconds>',
      'how long a job stays taken after its worker dies before another worker resumes it (default: 30)',
      positive('--stall-timeout'),
    )
    .option('-q, --quiet', 'no log lines')
    .exitOverride()
    .action(
      async (opts: { queue: string; concurrency?: number; out?: string; stallTimeout?: number; quiet?: boolean }) => {
        // Loaded only here: the job queue's client libraries cost a second at start-up.
        const { workerCommand } = await import('./commands/worker-command');
        await workerCommand({
          queue: opts.queue,
          concurrency: opts.concurrency,
          outDir: opts.out,
          stallTimeout: opts.stallTimeout,
          quiet: opts.quiet,
        });
      },
    );

  program
    .command('report')
    .description('rebuild results.md and report.html of a run or bench folder from its results.json')
    .argument('<runDir>', 'a run folder (runs/<timestamp>-<name>) or bench folder')
    .exitOverride()
    .action(async (runDir: string) => {
      out.stdout(await reportCommand(runDir));
    });

  program
    .command('eval')
    .description("re-evaluate a finished run's saved model on its test part (writes eval.json)")
    .argument('<runDir>', 'a run folder')
    .option('-q, --quiet', 'no backend line')
    .exitOverride()
    .action(async (runDir: string, opts: { quiet?: boolean }) => {
      out.stdout(await evalCommand(runDir, { quiet: opts.quiet }));
    });

  program
    .command('embed')
    .description("embed new samples with a run's trained network; writes .npy or .json")
    .argument('<runDir>', 'a finished run folder')
    .requiredOption('--input <file>', "samples (.npy, .json rows or .csv), in the run dataset's sample shape")
    .option('--output <file>', 'where to write the embeddings (.npy or .json; default <input>.embeddings.json)')
    .option('-q, --quiet', 'no backend line')
    .exitOverride()
    .action(async (runDir: string, opts: { input: string; output?: string; quiet?: boolean }) => {
      out.stdout(await embedCommand(runDir, opts.input, opts.output, { quiet: opts.quiet }));
    });

  program
    .command('query')
    .description("nearest neighbours of new samples among the run's test items under the learned divergence (JSON)")
    .argument('<runDir>', 'a finished run folder')
    .requiredOption('--input <file>', 'query samples (.npy, .json rows or .csv)')
    .option(
      '--k <n>',
      'neighbours per query',
      (t: string) => {
        const n = Number(t);
        if (!Number.isInteger(n) || n < 1)
          throw new UsageError(`--k expects a positive integer, got ${JSON.stringify(t)}`);
        return n;
      },
      10,
    )
    .addOption(
      new Option('--query-in <slot>', 'slot of D the query takes: left ranks by D(q, r), right by D(r, q)')
        .choices(['left', 'right'])
        .default('left'),
    )
    .option('-q, --quiet', 'no backend line')
    .exitOverride()
    .action(async (runDir: string, opts: { input: string; k: number; queryIn: 'left' | 'right'; quiet?: boolean }) => {
      out.stdout(await queryCommand(runDir, opts.input, { k: opts.k, queryIn: opts.queryIn, quiet: opts.quiet }));
    });

  const data = program
    .command('data')
    .description('datasets: list what is available, fetch what is not')
    .exitOverride();
  data
    .command('list')
    .description('every dataset, whether it is available here, and where it comes from')
    .exitOverride()
    .action(() => out.stdout(dataListCommand()));
  data
    .command('fetch')
    .description('download a dataset into the cache ($BREGMAN_DATA_DIR), verifying published SHA-256 checksums')
    .argument('<name>', 'dataset name (see bregman data list)')
    .exitOverride()
    .action(async (name: string) => {
      out.stdout(await dataFetchCommand(name, (line) => out.stderr(`${line}\n`)));
    });
  return program;
}

/** Runs the CLI; returns the exit code (0 ok, 1 failure, 2 usage or input error). */
export async function main(
  argv: readonly string[],
  out: CliOutput = {
    stdout: (s: string) => {
      process.stdout.write(s);
    },
    stderr: (s: string) => {
      process.stderr.write(s);
    },
  },
): Promise<number> {
  const program = buildProgram(out);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here with exit code 0; commander already printed its message.
      return error.exitCode === 0 ? 0 : 2;
    }
    if (error instanceof UsageError) {
      out.stderr(`bregman: ${error.message}\n`);
      return 2;
    }
    if (isEmpiricalBregmanError(error)) {
      out.stderr(`bregman: ${error.message}\n`);
      return error.code === 'NUMERICAL' || error.code === 'IO' ? 1 : 2;
    }
    out.stderr(
      `bregman: unexpected error (a bug; please report it with this trace):\n${(error as Error).stack ?? String(error)}\n`,
    );
    return 1;
  }
}
