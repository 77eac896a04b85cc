// The worker-thread task of `bregman bench --workers N`: one grid cell per call, on the worker's own backend.
import type { TaskContext } from '@empirical-bregman/runtime/node';
import { type GridItemPayload, type GridItemResult, runGridItem } from './bench/run-grid-item';

export async function runGridItemTask(payload: GridItemPayload, context: TaskContext): Promise<GridItemResult> {
  void context;
  return runGridItem(payload);
}
