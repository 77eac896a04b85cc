import type { QuerySlot } from '@empirical-bregman/bregman-core';
import { type MeanInterval, meanConfidenceInterval } from './mean-confidence-interval';
import { formatNumber, metricLabel, orderMetricNames } from './metric-names';
import type { BenchRun } from './report-data';
import { isReferenceModel, type ReportTable } from './report-table';

/** One row of a benchmark comparison: every seed of one (dataset, protocol, model, divergence, querySlot). */
export interface BenchSummaryRow {
  /** The method of a suite with a methods axis (its rows are labelled by it). */
  readonly method?: string;
  readonly model: string;
  readonly divergence: string;
  readonly querySlot?: QuerySlot;
  readonly seeds: readonly number[];
  /** Per metric: mean and 95% Student-t confidence interval over the seeds. */
  readonly metrics: Readonly<Record<string, MeanInterval>>;
  /** Wall time per run in seconds over the seeds that recorded one (methods benches). */
  readonly seconds?: MeanInterval;
}

/** The comparison of one dataset under one protocol. */
export interface BenchSummary {
  readonly dataset: string;
  readonly protocol: string;
  readonly metricNames: readonly string[];
  readonly rows: readonly BenchSummaryRow[];
}

/**
 * Groups benchmark runs by (dataset, protocol), then by (model, divergence, querySlot), and gives each metric's mean
 * ± 95% confidence interval over seeds (t-distribution with n − 1 degrees of freedom, see
 * {@link meanConfidenceInterval}). The model is part of the key so that the raw-input reference row under
 * 'euclidean' stays apart from the trained 'euclidean' head. Groups keep the order of first appearance.
 */
export function summarizeBench(runs: readonly BenchRun[], level = 0.95): BenchSummary[] {
  const tables = new Map<string, BenchRun[]>();
  for (const run of runs) {
    const key = JSON.stringify([run.dataset, run.protocol]);
    const list = tables.get(key);
    if (list) list.push(run);
    else tables.set(key, [run]);
  }
  return [...tables.values()].map((tableRuns) => {
    const groups = new Map<string, BenchRun[]>();
    for (const run of tableRuns) {
      const key = JSON.stringify([run.method ?? null, run.model, run.divergence, run.querySlot ?? null]);
      const list = groups.get(key);
      if (list) list.push(run);
      else groups.set(key, [run]);
    }
    const metricNames = orderMetricNames(tableRuns.flatMap((r) => Object.keys(r.metrics)));
    const rows = [...groups.values()].map((group): BenchSummaryRow => {
      const metrics: Record<string, MeanInterval> = {};
      for (const name of metricNames) {
        const values = group.map((r) => r.metrics[name]).filter((v): v is number => typeof v === 'number');
        if (values.length > 0) metrics[name] = meanConfidenceInterval(values, level);
      }
      const first = group[0];
      const seconds = group.map((r) => r.seconds).filter((v): v is number => typeof v === 'number');
      return {
        ...(seconds.length > 0 ? { seconds: meanConfidenceInterval(seconds, level) } : {}),
        ...(first.method !== undefined ? { method: first.method } : {}),
        model: first.model,
        divergence: first.divergence,
        ...(first.querySlot !== undefined ? { querySlot: first.querySlot } : {}),
        seeds: group.map((r) => r.seed),
        metrics,
      };
    });
    return { dataset: tableRuns[0].dataset, protocol: tableRuns[0].protocol, metricNames, rows };
  });
}

/** 'mean ± half-width' (or just the mean for one seed), with '(n=k)' when fewer seeds than the row has gave it. */
export function formatInterval(interval: MeanInterval | undefined, rowSeeds: number): string {
  if (!interval || interval.n === 0) return '—';
  const base =
    interval.halfWidth === null
      ? formatNumber(interval.mean)
      : `${formatNumber(interval.mean)} ± ${formatNumber(interval.halfWidth)}`;
  return interval.n < rowSeeds ? `${base} (n=${interval.n})` : base;
}

/**
 * A benchmark summary as a table: Method (when some row has one), Model, Divergence, Query (if any), n, then one
 * mean ± CI column per metric.
 */
export function buildBenchTable(summary: BenchSummary): ReportTable {
  const withQuery = summary.rows.some((r) => r.querySlot !== undefined);
  const withMethod = summary.rows.some((r) => r.method !== undefined);
  const withSeconds = summary.rows.some((r) => r.seconds !== undefined);
  return {
    caption: `${summary.dataset} · ${summary.protocol}`,
    columns: [
      ...(withMethod ? [{ label: 'Method', align: 'left' as const }] : []),
      { label: 'Model', align: 'left' },
      { label: 'Divergence', align: 'left' },
      ...(withQuery ? [{ label: 'Query', align: 'left' as const }] : []),
      { label: 'n', align: 'right' },
      ...(withSeconds ? [{ label: 's/run', align: 'right' as const }] : []),
      ...summary.metricNames.map((m) => ({ label: metricLabel(m), align: 'right' as const })),
    ],
    rows: summary.rows.map((r) => [
      ...(withMethod ? [r.method ?? ''] : []),
      r.model,
      r.divergence,
      ...(withQuery ? [r.querySlot ?? ''] : []),
      String(r.seeds.length),
      ...(withSeconds ? [r.seconds ? r.seconds.mean.toFixed(0) : ''] : []),
      ...summary.metricNames.map((m) => formatInterval(r.metrics[m], r.seeds.length)),
    ]),
    reference: summary.rows.map((r) => isReferenceModel(r.model)),
  };
}
