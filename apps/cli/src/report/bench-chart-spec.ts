import type { TopLevelSpec } from 'vega-lite';
import { metricLabel } from './metric-names';
import { isReferenceModel } from './report-table';
import type { BenchSummary, BenchSummaryRow } from './summarize-bench';

/**
 * The name of a comparison row on a chart axis: its method, else the divergence, with the query slot and a
 * non-trained model.
 */
export function benchRowLabel(row: BenchSummaryRow): string {
  let label = row.method ?? row.divergence;
  if (row.querySlot) label += ` (query ${row.querySlot})`;
  if (row.model !== 'trained') label = `${row.model} · ${label}`;
  return label;
}

/** Metrics left to the table: a regression's raw MSE ranks like its rel. MSE, which has a readable scale. */
const TABLE_ONLY = new Set(['mse']);

/** The metrics a comparison chart shows: the first three in table order (the rest are in the table). */
export function benchChartMetrics(summary: BenchSummary, count = 3): string[] {
  return summary.metricNames.filter((m) => !TABLE_ONLY.has(m)).slice(0, count);
}

/**
 * Vega-Lite spec of one dataset/protocol comparison: for each chosen metric a panel of bars (the mean over seeds)
 * with error bars (the 95% confidence interval, absent for a single seed); untrained reference rows in grey.
 */
export function benchChartSpec(summary: BenchSummary, metrics = benchChartMetrics(summary)): TopLevelSpec | null {
  const values = [];
  const order: string[] = [];
  for (const row of summary.rows) {
    const label = benchRowLabel(row);
    order.push(label);
    for (const metric of metrics) {
      const m = row.metrics[metric];
      if (!m || !Number.isFinite(m.mean)) continue;
      const hw = m.halfWidth ?? 0;
      values.push({
        label,
        metric: metricLabel(metric),
        mean: m.mean,
        lo: m.mean - hw,
        hi: m.mean + hw,
        kind: isReferenceModel(row.model) ? 'untrained reference' : 'trained',
      });
    }
  }
  if (values.length === 0) return null;
  const x = {
    field: 'label',
    type: 'nominal' as const,
    title: null,
    sort: order,
    axis: { labelAngle: -35, labelLimit: 240 },
  };
  return {
    data: { values },
    facet: { column: { field: 'metric', type: 'nominal', title: null, sort: metrics.map(metricLabel) } },
    resolve: { scale: { y: 'independent' } },
    spec: {
      width: { step: 44 },
      height: 200,
      layer: [
        {
          mark: { type: 'bar', width: { band: 0.7 } },
          encoding: {
            x,
            y: { field: 'mean', type: 'quantitative', title: 'mean ± 95% CI' },
            color: {
              field: 'kind',
              type: 'nominal',
              title: null,
              scale: { domain: ['trained', 'untrained reference'], range: ['#4c78a8', '#b0b0b0'] },
            },
          },
        },
        {
          mark: { type: 'rule', color: '#222', strokeWidth: 1.5 },
          encoding: { x, y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' } },
        },
      ],
    },
  };
}
