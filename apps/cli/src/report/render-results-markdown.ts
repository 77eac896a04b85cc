import { describeBackend } from './describe-backend';
import { markdownTable } from './markdown-table';
import type { RunReportData } from './report-data';
import type { ReportTable } from './report-table';
import { buildResultsTables } from './results-tables';

/** A {@link ReportTable} as a markdown section: '### caption', blank line, the table. */
export function markdownSection(table: ReportTable, level = '###'): string {
  return `${level} ${table.caption}\n\n${markdownTable(
    table.columns.map((c) => c.label),
    table.rows,
    table.columns.map((c) => c.align),
  )}`;
}

/**
 * `results.md` of one run: title, backend and date, one GitHub-markdown table per protocol (untrained reference
 * rows included as they come), then the notes as a list.
 *
 * ```ts
 * await writeFile(join(runDir, 'results.md'), renderResultsMarkdown(data));
 * ```
 */
export function renderResultsMarkdown(data: RunReportData): string {
  const parts = [`# ${data.title}`, `Backend: ${describeBackend(data.backend)} · ${data.createdAt}`];
  const tables = buildResultsTables(data.results);
  if (tables.length === 0) parts.push('_No results._');
  for (const table of tables) parts.push(markdownSection(table));
  if (data.notes && data.notes.length > 0)
    parts.push(data.notes.map((n) => `- ${n.replace(/\r?\n/g, ' ')}`).join('\n'));
  return `${parts.join('\n\n')}\n`;
}
