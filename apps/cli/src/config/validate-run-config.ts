import { basename } from 'node:path';
import { CliError } from '../cli-error';
import type { Task } from '../run/task';
import { TASKS, findTask, taskForDataset } from '../tasks/task-registry';
import type { RunConfig } from './run-config';
import { RUN_CONFIG_SCHEMA, schemaOfTask } from './run-config-schema';
import { validateAgainst } from './schema';

/** The task a raw config asks for: its `task` setting, else the one its dataset implies. */
function requestedTask(input: Readonly<Record<string, unknown>>, where: string): Task {
  if (input.task === undefined) return taskForDataset(input.dataset);
  const task = typeof input.task === 'string' ? findTask(input.task) : undefined;
  if (!task)
    throw new CliError(
      where,
      'INVALID_ARGUMENT',
      `"task" must be one of ${TASKS.map((t) => t.name).join(', ')}; got ${JSON.stringify(input.task)}`,
    );
  return task;
}

/**
 * Validates a run configuration (from flags, a file or a job payload) and fills in defaults: the task's own first
 * (e.g. divergence regression's smaller batches), then the schema's. The `task` key is kept only when the dataset
 * does not imply it: one run, one form, one hash.
 */
export function validateRunConfig(raw: unknown, where = 'config'): RunConfig {
  const input =
    typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as Record<string, unknown>) : undefined;
  if (!input) return validateAgainst(RUN_CONFIG_SCHEMA, raw, where) as unknown as RunConfig; // throws its own error
  // A saved config of a --data run holds the name the data were given (`dataset`): that one is the same run.
  if (
    input.data !== undefined &&
    input.dataset !== undefined &&
    !(typeof input.data === 'string' && input.dataset === dataNameOf(input.data))
  )
    throw new CliError(
      where,
      'INVALID_ARGUMENT',
      `expected either "data" (your files) or "dataset" (a catalogue name), got both (${JSON.stringify(input.data)} and ${JSON.stringify(input.dataset)})`,
    );
  for (const key of ['labelColumn', 'imageSize', 'channels'] as const)
    if (input[key] !== undefined && input.data === undefined)
      throw new CliError(where, 'INVALID_ARGUMENT', `expected "${key}" only with "data" (your files), got it without`);
  if (input.channels !== undefined && input.channels !== 1 && input.channels !== 3)
    throw new CliError(
      where,
      'INVALID_ARGUMENT',
      `expected "channels" 1 (grey) or 3 (RGB), got ${JSON.stringify(input.channels)}`,
    );
  const task = requestedTask(input, where);
  const filled: Record<string, unknown> = { ...task.defaults?.(input), ...input };
  if (filled.dataset === undefined && task.dataNames?.length) filled.dataset = task.dataNames[0];
  // Users' data are named after their path below, not by the catalogue (a saved config holds that name).
  if (filled.data !== undefined) delete filled.dataset;
  const config = validateAgainst(schemaOfTask(task), filled, where) as unknown as RunConfig & {
    task?: string;
    dataset: string;
  };
  // Users' data: `dataset` names it after the path (run folders, reports), the catalogue's default does not apply.
  if (config.data !== undefined) config.dataset = dataNameOf(config.data);
  const maker = taskForDataset(config.dataset);
  if (maker !== task && maker.dataNames?.includes(config.dataset))
    throw new CliError(
      where,
      'INVALID_ARGUMENT',
      `"dataset" ${config.dataset} is made by task ${maker.name}, not a dataset task ${task.name} can train on`,
    );
  task.checkConfig?.(config, where);
  if (maker === task) delete config.task;
  else config.task = task.name;
  // 1 is the same run as no key (see the schema): one form, one hash.
  if (config.dataParallel === 1) delete (config as { dataParallel?: number }).dataParallel;
  return config;
}

/** The task that trains `config` (validated). */
export function taskOfConfig(config: RunConfig): Task {
  return config.task === undefined
    ? taskForDataset(config.dataset)
    : (findTask(config.task) ?? taskForDataset(config.dataset));
}

/** The name a run gives users' data: the file or folder name without extension, in run-folder-safe characters. */
export function dataNameOf(path: string): string {
  const base = basename(path.replace(/[\\/]+$/, '')).replace(/\.(csv|tsv|npy|npz|gz|idx\d?-ubyte)$/i, '');
  return base.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+|-+$/g, '') || 'data';
}
