import { describeBackend } from './describe-backend';
import type { BenchReportData } from './report-data';
import { markdownSection } from './render-results-markdown';
import { METHOD_OVERVIEW_METRICS, buildMethodOverview } from './method-overview';
import { buildVerdictTable, learnedDivergenceTarget, methodVerdicts } from './method-verdicts';
import { buildBenchTable, summarizeBench } from './summarize-bench';

/**
 * `results.md` of a benchmark: per (dataset, protocol) a GitHub-markdown table whose cells are the mean ± the
 * half-width of the 95% confidence interval over seeds, x̄ ± t_{0.975, n−1} · s / √n (a single seed shows the
 * value alone), with n the number of seeds; then the skipped grid cells with the command that fetches their data.
 */
export function renderBenchMarkdown(data: BenchReportData): string {
  const parts = [
    `# ${data.title}`,
    `Suite: ${data.suite} · backend: ${describeBackend(data.backend)} · ${data.createdAt}`,
    'Cells: mean ± half-width of the 95% confidence interval over seeds (Student t, n − 1 degrees of freedom); ' +
      'n = number of seeds.',
  ];
  // A methods bench opens with its overview (a row per method, a column per dataset), then the detailed tables.
  for (const table of buildMethodOverview(data.runs, METHOD_OVERVIEW_METRICS)) parts.push(markdownSection(table));
  const summaries = summarizeBench(data.runs);
  if (summaries.length === 0) parts.push('_No runs._');
  for (const summary of summaries) parts.push(markdownSection(buildBenchTable(summary)));
  // A methods bench: the issue-21 win rule per dataset (absent from divergence-axis benches, whose runs have no method).
  const verdicts = methodVerdicts(data.runs);
  if (verdicts.length > 0) parts.push(markdownSection(buildVerdictTable(verdicts)), verdictSummary(verdicts));
  if (data.skipped.length > 0) {
    const items = data.skipped.map(
      (s) => `- ${s.what}: ${s.reason}${s.command ? ` — fetch with \`${s.command.replace(/`/g, "'")}\`` : ''}`,
    );
    parts.push(`### Skipped\n\n${items.join('\n')}`);
  }
  return `${parts.join('\n\n')}\n`;
}

/**
 * The sentence under the verdict table: how a win is decided, and whether the target of issue 21 (the learned
 * divergence best or tied-best on at least 3 datasets) is met.
 */
export function verdictSummary(verdicts: ReturnType<typeof methodVerdicts>): string {
  const target = learnedDivergenceTarget(verdicts);
  return (
    'A method wins when the 95% CI of its paired per-seed difference to the next best lies above 0; the learned ' +
    'divergence (its best ICNN row) loses when another method wins against it, and ties otherwise. ' +
    `Target (learned divergence best or tied-best on ≥ ${target.needed} datasets): ` +
    `${target.met ? 'met' : 'not met'} (${target.count} of ${target.of}).`
  );
}
