import { writeFileAtomic } from '@empirical-bregman/node-io';
import { join } from 'node:path';
import { renderResultsMarkdown, renderRunReport } from '../report/index';
import type { RunReportData } from '../report/report-data';
import { writeJson } from './run-folder';

/** results.json (the data), results.md (the table) and report.html (self-contained) in a run folder. */
export async function writeRunOutputs(dir: string, report: RunReportData): Promise<void> {
  // results.json last, each file atomically: a finished run (bench --resume, queue reuse) is one whose results.json
  // exists, so the table and the page are then always there too.
  writeFileAtomic(join(dir, 'results.md'), renderResultsMarkdown(report));
  writeFileAtomic(join(dir, 'report.html'), await renderRunReport(report));
  writeJson(join(dir, 'results.json'), report);
}
