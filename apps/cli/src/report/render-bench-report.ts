import { benchChartMetrics, benchChartSpec } from './bench-chart-spec';
import { describeBackend } from './describe-backend';
import { escapeHtml } from './escape-html';
import { chartFigure, htmlDocument, htmlTable, section, slug } from './html-page';
import { metricLabel } from './metric-names';
import type { BenchReportData } from './report-data';
import { backendSection } from './render-run-report';
import { renderVegaLiteSvg } from './render-vega-lite-svg';
import { METHOD_OVERVIEW_METRICS, buildMethodOverview } from './method-overview';
import { buildVerdictTable, methodVerdicts } from './method-verdicts';
import { verdictSummary } from './render-bench-markdown';
import { buildBenchTable, summarizeBench } from './summarize-bench';

/**
 * The comparison page of `bregman bench`: for every dataset and protocol a table of each divergence's metrics as
 * mean ± 95% confidence interval over seeds (Student t, n − 1 degrees of freedom) and a bar chart with CI error
 * bars (`data-chart="bench-<dataset>-<protocol>"`), then the skipped grid cells with the command that fetches their
 * data, and the backend. Self-contained like {@link renderRunReport}.
 */
export async function renderBenchReport(data: BenchReportData): Promise<string> {
  const parts: string[] = [
    `<h1>${escapeHtml(data.title)}</h1>`,
    `<p class="meta">${escapeHtml(`suite ${data.suite} · ${data.createdAt} · backend ${describeBackend(data.backend)}`)}</p>`,
  ];
  buildMethodOverview(data.runs, METHOD_OVERVIEW_METRICS).forEach((table, i) => {
    parts.push(section(`overview-${i + 1}`, table.caption, htmlTable(table, false)));
  });
  const summaries = summarizeBench(data.runs);
  const names = new Map<string, number>();
  for (const summary of summaries) {
    const base = `bench-${slug(summary.dataset)}-${slug(summary.protocol)}`;
    const seen = names.get(base) ?? 0;
    names.set(base, seen + 1);
    const name = seen === 0 ? base : `${base}-${seen + 1}`;
    const spec = benchChartSpec(summary);
    const metrics = benchChartMetrics(summary).map(metricLabel).join(', ');
    const chart = spec
      ? chartFigure(
          name,
          await renderVegaLiteSvg(spec),
          `Bars: mean over seeds; error bars: 95% confidence interval (${metrics}).`,
        )
      : '';
    parts.push(
      section(
        name,
        `${summary.dataset} · ${summary.protocol}`,
        `${htmlTable(buildBenchTable(summary), false)}${chart}`,
      ),
    );
  }
  if (summaries.length === 0) parts.push(section('runs', 'Runs', '<p>No runs.</p>'));
  const verdicts = methodVerdicts(data.runs);
  if (verdicts.length > 0) {
    const table = buildVerdictTable(verdicts);
    parts.push(
      section(
        'verdicts',
        table.caption,
        `${htmlTable(table, false)}<p class="meta">${escapeHtml(verdictSummary(verdicts))}</p>`,
      ),
    );
  }
  parts.push(
    `<p class="meta">Cells: mean ± half-width of the 95% confidence interval over seeds, x̄ ± t<sub>0.975, n−1</sub>·s/√n; n = number of seeds; a single seed shows its value alone.</p>`,
  );
  if (data.skipped.length > 0) {
    const items = data.skipped.map(
      (s) =>
        `<li><strong>${escapeHtml(s.what)}</strong>: ${escapeHtml(s.reason)}${
          s.command ? ` — fetch with <code>${escapeHtml(s.command)}</code>` : ''
        }</li>`,
    );
    parts.push(section('skipped', 'Skipped', `<ul class="notes">${items.join('')}</ul>`));
  }
  parts.push(section('backend', 'Backend', backendSection(data, [['suite', data.suite]])));
  return htmlDocument(data.title, parts.join('\n'));
}
