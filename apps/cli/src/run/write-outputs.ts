import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderResultsMarkdown, renderRunReport } from '../report/index';
import type { RunReportData } from '../report/report-data';
import { writeJson } from './run-folder';

/** results.json (the data), results.md (the table) and report.html (self-contained) in a run folder. */
export async function writeRunOutputs(dir: string, report: RunReportData): Promise<void> {
  writeJson(join(dir, 'results.json'), report);
  writeFileSync(join(dir, 'results.md'), renderResultsMarkdown(report));
  writeFileSync(join(dir, 'report.html'), await renderRunReport(report));
}
