import { ensureDirectory } from '@empirical-bregman/node-io';
import { join } from 'node:path';
import type { BackendInfo } from '@empirical-bregman/runtime';
import { WorkerPool } from '@empirical-bregman/runtime/node';
import { builtEntryPath } from '../built-entry';
import type { GridItem } from './bench-suite';
import { checkpointEpoch, readFinishedRun } from './finished-run';
import { type GridCellOutcome, cellError } from './grid-cell-outcome';
import { type GridItemPayload, type GridItemResult, runGridItem } from './run-grid-item';

export interface LocalGridOptions {
  /** The bench folder: cell i runs in `<benchDir>/<items[i].name>/`. */
  readonly benchDir: string;
  /** Cells in parallel, each in a worker thread with its own backend; 1 runs them one by one in this thread. */
  readonly workers: number;
  /** This thread's backend (for `workers` 1). */
  readonly backend: BackendInfo;
  /** `bench --resume`: a cell whose folder holds its finished run is reused; one with a checkpoint continues. */
  readonly reuseFinished?: boolean;
  /** Called once per cell as it ends (in the order they end); `reused` for a finished run found on disk. */
  readonly onOutcome?: (index: number, outcome: GridCellOutcome, reused: boolean) => void;
}

/**
 * Runs a bench grid on this machine. A cell that fails is recorded with its error and the others go on (before,
 * one failure rejected the whole grid and the finished cells' results were lost with it). Resolves with one outcome
 * per cell, in grid order.
 */
export async function runGridLocally(
  items: readonly GridItem[],
  options: LocalGridOptions,
): Promise<GridCellOutcome[]> {
  const outcomes: GridCellOutcome[] = new Array(items.length);
  const record = (index: number, outcome: GridCellOutcome, reused: boolean) => {
    outcomes[index] = outcome;
    options.onOutcome?.(index, outcome, reused);
  };
  const todo: { index: number; payload: GridItemPayload }[] = [];
  for (const [index, item] of items.entries()) {
    const dir = join(options.benchDir, item.name);
    if (options.reuseFinished) {
      const finished = readFinishedRun(dir, item.config, 'bench --resume');
      if (finished) {
        record(index, { status: 'finished', result: finished.result }, true);
        continue;
      }
    }
    ensureDirectory(dir, 'a run folder');
    const resume = Boolean(options.reuseFinished) && checkpointEpoch(dir) !== null;
    todo.push({ index, payload: { config: item.config, dir, resume } });
  }
  const attempt = async (
    { index, payload }: (typeof todo)[number],
    run: (payload: GridItemPayload) => Promise<GridItemResult>,
  ) => {
    try {
      record(index, { status: 'finished', result: await run(payload) }, false);
    } catch (error) {
      record(index, { status: 'failed', dir: payload.dir, error: cellError(error) }, false);
    }
  };
  const taskPath = options.workers > 1 && todo.length > 1 ? builtEntryPath('bench-task') : null;
  if (taskPath) {
    const pool = await WorkerPool.create({ size: Math.min(options.workers, todo.length) });
    try {
      await Promise.all(
        todo.map((cell) => attempt(cell, (payload) => pool.run<GridItemResult>(taskPath, 'runGridItemTask', payload))),
      );
    } finally {
      await pool.close();
    }
  } else {
    for (const cell of todo) await attempt(cell, (payload) => runGridItem(payload, options.backend));
  }
  return outcomes;
}
