import { join } from 'node:path';
import { type BackendInfo, initBackend } from '@empirical-bregman/runtime';
import { CliError } from '../cli-error';
import { type RunConfig, readConfigFile, runName } from '../config/run-config';
import { validateRunConfig } from '../config/validate-run-config';
import { createProgress } from '../run/progress';
import { createRunFolder, readJson, requireRunFolder, writeJson } from '../run/run-folder';
import { type RunOutcome, trainRun } from '../run/train-run';
import { writeRunOutputs } from '../run/write-outputs';

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
    config = validateRunConfig(
      { ...fromFile, ...options.settings },
      options.configFile ? `config (${options.configFile} + flags)` : 'config',
    );
  }
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
