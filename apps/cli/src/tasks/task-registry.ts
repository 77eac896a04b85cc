import { CliError } from '../cli-error';
import type { Task } from '../run/task';
import { divergenceRegressionTask } from './divergence-regression/divergence-regression-task';
import { retrievalTask } from './retrieval/retrieval-task';
import { setClusteringTask } from './set-clustering/set-clustering-task';

const registered: Task[] = [];

/**
 * Adds a kind of run under its name (a name taken twice is refused). A task of this app is its own folder under
 * `src/tasks/` and one line at the end of this file; a program built on the app can register its own the same way.
 */
export function registerTask(task: Task): void {
  if (registered.some((t) => t.name === task.name))
    throw new CliError(
      'registerTask',
      'INVALID_ARGUMENT',
      `expected a new task name, got ${JSON.stringify(task.name)} twice`,
    );
  registered.push(task);
}

/** Every registered task, the default first. */
export const TASKS: readonly Task[] = registered;

/** The task registered under `name`, or undefined. */
export function findTask(name: string): Task | undefined {
  return TASKS.find((t) => t.name === name);
}

/** The datasets tasks make themselves (e.g. divergence-regression's pairs), beside the datasets catalogue. */
export function taskDataNames(): string[] {
  return TASKS.flatMap((t) => t.dataNames ?? []);
}

/** The task a dataset name implies: the one that makes it, else the default. */
export function taskForDataset(dataset: unknown): Task {
  return TASKS.find((t) => typeof dataset === 'string' && t.dataNames?.includes(dataset)) ?? TASKS[0]!;
}

// The tasks of the app, one line each; the first is the default.
registerTask(retrievalTask);
registerTask(divergenceRegressionTask);
registerTask(setClusteringTask);
