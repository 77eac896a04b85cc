import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CliError } from '../cli-error';
import { renderBenchMarkdown, renderBenchReport, renderResultsMarkdown, renderRunReport } from '../report/index';
import type { BenchReportData, RunReportData } from '../report/report-data';
import { readJson } from '../run/run-folder';

/** `bregman report RUN_DIR`: rebuilds results.md and report.html from results.json; returns the markdown. */
export async function reportCommand(runDir: string): Promise<string> {
  const dir = resolve(runDir);
  const path = join(dir, 'results.json');
  if (!existsSync(path)) {
    throw new CliError(
      'report',
      'NOT_FOUND',
      `expected a finished run or bench folder with results.json at ${dir}, got ${existsSync(dir) ? 'no results.json (did the run finish?)' : 'no such folder'}`,
    );
  }
  const data = readJson<RunReportData | BenchReportData>(path, 'report');
  if ('runs' in data) {
    writeFileSync(join(dir, 'results.md'), renderBenchMarkdown(data));
    writeFileSync(join(dir, 'report.html'), await renderBenchReport(data));
    return renderBenchMarkdown(data);
  }
  writeFileSync(join(dir, 'results.md'), renderResultsMarkdown(data));
  writeFileSync(join(dir, 'report.html'), await renderRunReport(data));
  return renderResultsMarkdown(data);
}
