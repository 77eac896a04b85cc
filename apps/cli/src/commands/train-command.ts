import { join, resolve } from 'node:path';
import { type BackendInfo, initBackend } from '@empirical-bregman/runtime';
import { type Command, Option } from 'commander';
import { CliError } from '../cli-error';
import { type CliOutput, printJson } from '../cli/cli-output';
import { addConfigFlags, settingsFromFlags } from '../cli/config-flags';
import { type RunConfig, readConfigFile, runName } from '../config/run-config';
import { validateRunConfig } from '../config/validate-run-config';
import { createProgress } from '../run/progress';
import { createRunFolder, readJson, requireRunFolder, writeJson } from '../run/run-folder';
import { type RunOutcome, trainRun } from '../run/train-run';
import { renderResultsMarkdown } from '../report/index';
import { writeRunOutputs } from '../run/write-outputs';
import { requireDatasetPresent } from './require-dataset-present';

export interface TrainCommandOptions {
  /** Settings from flags (already converted to config keys). */
  readonly settings: Record<string, unknown>;
  readonly configFile?: string;
  readonly resume?: string;
  readonly quiet?: boolean;
  /** Tests: stop as if killed after this many steps. */
  readonly stopAfterSteps?: number;
  readonly backend?: BackendInfo;
}

export interface TrainCommandResult {
  readonly dir: string;
  readonly outcome: RunOutcome;
}

/**
 * `bregman train`: flags override the config file; everything is validated before anything is written. With
 * `--resume RUN_DIR`, the run's own config.json is used (flags other than --quiet are refused: a resumed run must
 * be the same run).
 */
export async function trainCommand(options: TrainCommandOptions): Promise<TrainCommandResult> {
  let config: RunConfig;
  let dir: string | undefined;
  if (options.resume) {
    if (Object.keys(options.settings).length > 0 || options.configFile) {
      throw new CliError(
        'train --resume',
        'INVALID_ARGUMENT',
        `expected no other settings with --resume (the run's config.json is used), got ${Object.keys(options.settings).join(', ') || '--config'}`,
      );
    }
    dir = requireRunFolder(options.resume, 'train --resume');
    config = validateRunConfig(readJson(join(dir, 'config.json'), 'train --resume'), `${dir}/config.json`);
  } else {
    const fromFile = options.configFile ? readConfigFile(options.configFile) : {};
    const settings: Record<string, unknown> = { ...fromFile, ...options.settings };
    // Users' data by absolute path: config.json (and --resume, and queue jobs) must find the same files.
    if (typeof settings.data === 'string' && settings.data !== '') settings.data = resolve(settings.data);
    config = validateRunConfig(settings, options.configFile ? `config (${options.configFile} + flags)` : 'config');
  }
  if (config.data === undefined) requireDatasetPresent(config.dataset, options.resume ? 'train --resume' : 'train');
  const backend = options.backend ?? (await initBackend({ quiet: options.quiet }));
  const progress = createProgress({ quiet: options.quiet });
  let created: string | undefined = dir;
  const outcome = await trainRun(config, {
    dir:
      dir ??
      (() => {
        created = createRunFolder(config.outDir, runName(config));
        writeJson(join(created, 'config.json'), config);
        progress.line(`run folder ${created}`);
        return created;
      }),
    backend,
    progress,
    resume: Boolean(options.resume),
    stopAfterSteps: options.stopAfterSteps,
  });
  await writeRunOutputs(created!, outcome.report);
  progress.line(`wrote ${join(created!, 'results.md')} and ${join(created!, 'report.html')}`);
  return { dir: created!, outcome };
}

/**
 * `bregman train`: one flag per run setting (from the config schema; the output folder is `--out`, as on every
 * command, with the schema's own `--out-dir` kept as a deprecated alias), a config file, `--resume`, `--json`.
 */
export function registerTrainCommand(program: Command, out: CliOutput): void {
  const train = program
    .command('train')
    .description('one training run from flags and/or a config file (JSON or YAML); writes <out>/<timestamp>-<name>/')
    .option('--config <file>', 'config file (JSON or YAML); flags override it')
    .option('--resume <runDir>', 'continue a run after a crash from its last checkpoint')
    .option('--out <dir>', 'folder that receives <timestamp>-<name>/ (default: runs; config key outDir)')
    .addOption(new Option('--out-dir <dir>', 'deprecated alias of --out').hideHelp().conflicts('out'))
    .option('--json', 'print only the results as one JSON document on stdout: { runDir, report }')
    .option('-q, --quiet', 'no progress output');
  addConfigFlags(train, ['outDir']);
  train.action(async (opts: Record<string, unknown>) => {
    if (opts.outDir !== undefined) out.stderr('bregman: warning: --out-dir is deprecated; use --out (same meaning)\n');
    const settings = settingsFromFlags(opts);
    if (opts.out !== undefined) settings.outDir = opts.out;
    const { dir, outcome } = await trainCommand({
      settings,
      configFile: opts.config as string | undefined,
      resume: opts.resume as string | undefined,
      quiet: Boolean(opts.quiet),
    });
    if (opts.json) {
      printJson(out, { runDir: dir, report: outcome.report });
      return;
    }
    out.stdout(renderResultsMarkdown(outcome.report));
    out.stdout(`\nrun folder: ${dir}\n`);
  });
}
