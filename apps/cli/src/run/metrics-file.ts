import { join } from 'node:path';
import { writeFileAtomic } from '@empirical-bregman/runtime/node';
import type { CurvePoint } from '../report/report-data';

/** One metrics.jsonl line: the epoch's curve points as `<split><Metric>` (e.g. `trainLoss`, `valMapAtR`). */
export function epochRecord(curves: readonly CurvePoint[], epoch: number): Record<string, number> {
  const row: Record<string, number> = { epoch };
  for (const c of curves) {
    if (c.epoch !== epoch) continue;
    row.step = c.step;
    row[`${c.split}${c.metric[0]!.toUpperCase()}${c.metric.slice(1)}`] = c.value;
  }
  return row;
}

/** metrics.jsonl mirrors the checkpoint's curves (after a resume, the lines of an unfinished epoch are dropped). */
export function rewriteMetrics(dir: string, curves: readonly CurvePoint[]): void {
  const epochs = [...new Set(curves.map((c) => c.epoch))].sort((a, b) => a - b);
  writeFileAtomic(
    join(dir, 'metrics.jsonl'),
    epochs.map((e) => `${JSON.stringify(epochRecord(curves, e))}\n`).join(''),
  );
}
