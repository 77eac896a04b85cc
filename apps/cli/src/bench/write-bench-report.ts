import { writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { renderBenchMarkdown, renderBenchReport } from '../report/index';
import type { BackendSummary, BenchReportData, BenchRun } from '../report/report-data';
import { writeJson } from '../run/run-folder';
import type { BenchPlan, SuiteName } from './bench-suite';
import type { GridItemResult } from './run-grid-item';

/** The progress line of a finished grid cell: its trained rows' MAP@R and its time. */
export function gridResultLine(done: number, total: number, name: string, result: GridItemResult): string {
  // Retrieval runs report MAP@R; divergence-regression runs have no retrieval metrics: relative MSE and ρ instead.
  const headline = (metrics: Record<string, number>) =>
    metrics.mapAtR !== undefined
      ? `MAP@R ${metrics.mapAtR.toFixed(3)}`
      : metrics.relMse !== undefined
        ? `rel. MSE ${metrics.relMse.toFixed(3)}, ρ ${(metrics.spearmanRho ?? Number.NaN).toFixed(3)}`
        : 'no metrics';
  const summary = result.rows
    .filter((row) => row.model === 'trained')
    .map((row) => `${headline(row.metrics)}${row.queryIn ? ` (${row.queryIn})` : ''}`)
    .join(', ');
  return `[${done}/${total}] ${name}: ${summary} in ${result.seconds.toFixed(0)} s`;
}

/** plan.json of a bench folder: the grid's validated configs and the skipped cells (plus, e.g., the queue used). */
export function writePlan(dir: string, suite: SuiteName, plan: BenchPlan, extra: Record<string, unknown> = {}): void {
  writeJson(join(dir, 'plan.json'), {
    suite,
    items: plan.items.map((i) => i.config),
    skipped: plan.skipped,
    ...extra,
  });
}

/**
 * The end of every `bregman bench`, in-process or through the job queue: the grid's results (in plan order) become
 * one BenchReportData, written as results.json, results.md and report.html in the bench folder. Raw-input rows,
 * which are the same in every run of a (dataset, protocol, seed), are kept once.
 */
export async function writeBenchReport(
  dir: string,
  suite: SuiteName,
  plan: BenchPlan,
  results: readonly GridItemResult[],
  backend: BackendSummary,
): Promise<BenchReportData> {
  const runs: BenchRun[] = [];
  const seenReference = new Set<string>();
  for (const [i, item] of plan.items.entries()) {
    const result = results[i]!;
    for (const row of result.rows) {
      if (row.model === 'raw input') {
        const key = `${item.config.dataset}/${row.protocol}/${item.config.seed}/${row.divergence}`;
        if (seenReference.has(key)) continue;
        seenReference.add(key);
      }
      runs.push({
        dataset: item.config.dataset,
        protocol: row.protocol,
        divergence: row.divergence,
        seed: item.config.seed,
        model: row.model,
        metrics: row.metrics,
        runDir: relative(dir, result.dir) || item.name,
        ...(row.queryIn ? { queryIn: row.queryIn } : {}),
      });
    }
  }
  const data: BenchReportData = {
    title: `bregman bench --suite ${suite}`,
    createdAt: new Date().toISOString(),
    backend,
    suite,
    runs,
    skipped: plan.skipped,
  };
  writeJson(join(dir, 'results.json'), data);
  writeFileSync(join(dir, 'results.md'), renderBenchMarkdown(data));
  writeFileSync(join(dir, 'report.html'), await renderBenchReport(data));
  return data;
}
