import { writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { renderBenchMarkdown, renderBenchReport } from '../report/index';
import type { BackendSummary, BenchReportData, BenchRun } from '../report/report-data';
import { writeJson } from '../run/run-folder';
import type { BenchPlan, SuiteName } from './bench-suite';
import type { CellError, GridCellOutcome } from './grid-cell-outcome';
import type { GridItemResult } from './run-grid-item';
import { writeTuning } from './tuning-file';

/** The progress line of a finished grid cell: its trained rows' MAP@R and its time. */
export function gridResultLine(done: number, total: number, name: string, result: GridItemResult): string {
  // Retrieval runs report MAP@R; divergence-regression runs have no retrieval metrics: relative MSE and ρ instead;
  // set-clustering runs: the Rand index and ARI of their k-means.
  const headline = (metrics: Record<string, number>) =>
    metrics.mapAtR !== undefined
      ? `MAP@R ${metrics.mapAtR.toFixed(3)}`
      : metrics.relMse !== undefined
        ? `rel. MSE ${metrics.relMse.toFixed(3)}, ρ ${(metrics.spearmanRho ?? Number.NaN).toFixed(3)}`
        : metrics.randIndex !== undefined
          ? `Rand index ${metrics.randIndex.toFixed(3)}, ARI ${(metrics.ari ?? Number.NaN).toFixed(3)}`
          : 'no metrics';
  const summary = result.rows
    .filter((row) => row.model === 'trained')
    .map((row) => `${headline(row.metrics)}${row.querySlot ? ` (${row.querySlot})` : ''}`)
    .join(', ');
  return `[${done}/${total}] ${name}: ${summary} in ${result.seconds.toFixed(0)} s`;
}

/** The progress line of a grid cell that failed. */
export function gridFailureLine(done: number, total: number, name: string, error: CellError): string {
  return `[${done}/${total}] ${name}: FAILED: ${error.message}`;
}

/** A grid cell that failed, as results.json records it. */
export interface FailedCell {
  /** The cell's run name (its folder name in an in-process bench). */
  readonly name: string;
  readonly dataset: string;
  readonly protocol: string;
  readonly method?: string;
  readonly divergence: string;
  readonly seed: number;
  /** Its run folder, relative to the bench folder (it may hold a checkpoint to resume from). */
  readonly runDir: string;
  readonly error: CellError;
}

/** results.json of a bench folder: the report data, and the cells that failed (empty when every run finished). */
export interface BenchResults extends BenchReportData {
  readonly failed: readonly FailedCell[];
}

/**
 * The end of every `bregman bench`, in-process or through the job queue: the grid's outcomes (in plan order) become
 * one BenchResults, written as results.json, results.md and report.html in the bench folder. Raw-input rows, which
 * are the same in every run of a (dataset, protocol, seed), are kept once. A failed cell is listed in `failed` and,
 * marked FAILED with its error, among the report's skipped cells.
 */
export async function writeBenchReport(
  dir: string,
  suite: SuiteName,
  plan: BenchPlan,
  outcomes: readonly GridCellOutcome[],
  backend: BackendSummary,
): Promise<BenchResults> {
  const runs: BenchRun[] = [];
  const failed: FailedCell[] = [];
  const seenReference = new Set<string>();
  for (const [i, item] of plan.items.entries()) {
    const outcome = outcomes[i]!;
    if (outcome.status === 'failed') {
      const { dataset, protocol, divergence, seed } = item.config;
      failed.push({
        name: item.name,
        dataset,
        protocol,
        ...(item.method !== undefined ? { method: item.method } : {}),
        divergence,
        seed,
        runDir: relative(dir, outcome.dir) || item.name,
        error: outcome.error,
      });
      continue;
    }
    const result = outcome.result;
    for (const row of result.rows) {
      // A method cell's untrained network is not the method's (its head and trunk before any loss): each run's
      // own report keeps it; the bench table compares the trained methods against the shared raw-input rows.
      if (item.method !== undefined && row.model === 'untrained network') continue;
      if (row.model === 'raw input') {
        const key = `${item.config.dataset}/${row.protocol}/${item.config.seed}/${row.divergence}`;
        if (seenReference.has(key)) continue;
        seenReference.add(key);
      }
      const method = item.method !== undefined && row.model !== 'raw input' ? item.method : undefined;
      runs.push({
        dataset: item.config.dataset,
        protocol: row.protocol,
        ...(method !== undefined ? { method } : {}),
        divergence: row.divergence,
        seed: item.config.seed,
        model: row.model,
        metrics: row.metrics,
        runDir: relative(dir, result.dir) || item.name,
        ...(row.querySlot ? { querySlot: row.querySlot } : {}),
        ...(method !== undefined && result.seconds > 0 ? { seconds: result.seconds } : {}),
      });
    }
  }
  const data: BenchResults = {
    title: `bregman bench --suite ${suite}`,
    createdAt: new Date().toISOString(),
    backend,
    suite,
    runs,
    skipped: [...plan.skipped, ...failed.map((f) => ({ what: f.name, reason: `FAILED: ${f.error.message}` }))],
    failed,
  };
  writeJson(join(dir, 'results.json'), data);
  writeFileSync(join(dir, 'results.md'), renderBenchMarkdown(data));
  writeFileSync(join(dir, 'report.html'), await renderBenchReport(data));
  // A `--tune` grid also gets its search's choice (tuning.json, for `bench --tuning`) and the trials' table.
  if (plan.items.some((i) => i.trial !== undefined)) writeTuning(dir, suite, plan, outcomes);
  return data;
}
