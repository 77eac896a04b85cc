import { formatNumber, metricLabel, orderMetricNames } from './metric-names';
import type { ResultRow } from './report-data';
import { isReferenceModel, type ReportTable } from './report-table';

/**
 * The results of one run as one table per protocol (in the order the protocols first appear): columns Model,
 * Divergence, Query (only when some row has a query slot) and every metric any row of that protocol has.
 */
export function buildResultsTables(results: readonly ResultRow[]): ReportTable[] {
  const protocols = [...new Set(results.map((r) => r.protocol))];
  return protocols.map((protocol) => {
    const rows = results.filter((r) => r.protocol === protocol);
    const metrics = orderMetricNames(rows.flatMap((r) => Object.keys(r.metrics)));
    const withQuery = rows.some((r) => r.querySlot !== undefined);
    const columns = [
      { label: 'Model', align: 'left' as const },
      { label: 'Divergence', align: 'left' as const },
      ...(withQuery ? [{ label: 'Query', align: 'left' as const }] : []),
      ...metrics.map((m) => ({ label: metricLabel(m), align: 'right' as const })),
    ];
    return {
      caption: protocol,
      columns,
      rows: rows.map((r) => [
        r.model,
        r.divergence,
        ...(withQuery ? [r.querySlot ?? ''] : []),
        ...metrics.map((m) => formatNumber(r.metrics[m])),
      ]),
      reference: rows.map((r) => isReferenceModel(r.model)),
    };
  });
}
