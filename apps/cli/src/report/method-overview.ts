import { meanConfidenceInterval } from './mean-confidence-interval';
import { formatNumber, metricLabel } from './metric-names';
import type { BenchRun } from './report-data';
import type { ReportTable } from './report-table';
import { formatInterval } from './summarize-bench';

/** The row label of the raw-input reference (Euclidean distance on the raw features) in {@link buildMethodOverview}. */
export const RAW_INPUT_ROW = 'raw input (Euclidean)';

/** The metrics of the overview tables: the win rule's MAP@R first, then P@1 and R-precision. */
export const METHOD_OVERVIEW_METRICS = ['mapAtR', 'precisionAt1', 'rPrecision'] as const;

/**
 * A methods bench at a glance, one table per metric: a row per method (the raw-input Euclidean reference first), a
 * column per dataset (with its protocol when a bench has several), cells mean ± the 95% CI half-width over seeds;
 * asymmetric heads by their left-slot rows, as the win rule reads them. Then the mean wall time per run. The README's
 * "learned Bregman divergence vs DML methods" table is this one.
 *
 * ```ts
 * buildMethodOverview(results.runs, ['mapAtR', 'precisionAt1'])[0].rows[1]; // ['contrastive', '0.512 ± 0.010', …]
 * ```
 */
export function buildMethodOverview(runs: readonly BenchRun[], metrics: readonly string[]): ReportTable[] {
  const withMethod = runs.filter((r) => r.method !== undefined);
  if (withMethod.length === 0) return [];
  const protocols = new Set(withMethod.map((r) => r.protocol));
  const columnOf = (r: BenchRun) => (protocols.size > 1 ? `${r.dataset} · ${r.protocol}` : r.dataset);
  const columns = [...new Set(withMethod.map(columnOf))];
  const methods = [...new Set(withMethod.map((r) => r.method!))];
  const rowOf = (r: BenchRun): string | undefined => {
    if (r.querySlot !== undefined && r.querySlot !== 'left') return undefined;
    if (r.model === 'trained') return r.method;
    // The bench repeats the raw-input reference under each run (its value does not depend on the method).
    return r.model === 'raw input' && r.divergence === 'euclidean' ? RAW_INPUT_ROW : undefined;
  };
  const rows = [RAW_INPUT_ROW, ...methods];
  const cells = new Map<string, BenchRun[]>();
  for (const run of runs) {
    const row = rowOf(run);
    if (row === undefined) continue;
    const key = JSON.stringify([row, columnOf(run)]);
    cells.set(key, [...(cells.get(key) ?? []), run]);
  }
  /** One value per seed: the raw reference appears once per run of each seed, with the same value. */
  const perSeed = (row: string, column: string, pick: (r: BenchRun) => number | undefined) => {
    const bySeed = new Map<number, number>();
    for (const run of cells.get(JSON.stringify([row, column])) ?? []) {
      const value = pick(run);
      if (value !== undefined && Number.isFinite(value) && !bySeed.has(run.seed)) bySeed.set(run.seed, value);
    }
    return [...bySeed.values()];
  };
  const header = [
    { label: 'Method', align: 'left' as const },
    ...columns.map((c) => ({ label: c, align: 'right' as const })),
  ];
  const reference = rows.map((r) => r === RAW_INPUT_ROW);
  const tables: ReportTable[] = metrics.map((metric) => ({
    caption: `${metricLabel(metric)} per method and dataset (mean ± 95% CI over seeds)`,
    columns: header,
    rows: rows.map((row) => [
      row,
      ...columns.map((column) => {
        const values = perSeed(row, column, (r) => r.metrics[metric]);
        return formatInterval(values.length > 0 ? meanConfidenceInterval(values) : undefined, values.length);
      }),
    ]),
    reference,
  }));
  tables.push({
    caption: 'Wall time per run (s, mean over seeds; the whole run: training and evaluation)',
    columns: header,
    rows: methods.map((row) => [
      row,
      ...columns.map((column) => {
        const values = perSeed(row, column, (r) => r.seconds);
        return values.length > 0 ? formatNumber(values.reduce((s, v) => s + v, 0) / values.length, 1) : '—';
      }),
    ]),
  });
  return tables;
}
