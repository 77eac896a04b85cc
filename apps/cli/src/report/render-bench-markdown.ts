import { describeBackend } from './describe-backend';
import type { BenchReportData } from './report-data';
import { markdownSection } from './render-results-markdown';
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
  const summaries = summarizeBench(data.runs);
  if (summaries.length === 0) parts.push('_No runs._');
  for (const summary of summaries) parts.push(markdownSection(buildBenchTable(summary)));
  if (data.skipped.length > 0) {
    const items = data.skipped.map(
      (s) => `- ${s.what}: ${s.reason}${s.command ? ` — fetch with \`${s.command.replace(/`/g, "'")}\`` : ''}`,
    );
    parts.push(`### Skipped\n\n${items.join('\n')}`);
  }
  return `${parts.join('\n\n')}\n`;
}
