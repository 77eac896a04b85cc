import { readReportFile } from '../report/read-report-file';
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { CliError } from '../cli-error';
import type { CliOutput } from '../cli/cli-output';
import { renderBenchMarkdown, renderBenchReport, renderResultsMarkdown, renderRunReport } from '../report/index';

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
  const data = readReportFile(path, 'report');
  if ('runs' in data) {
    writeFileSync(join(dir, 'results.md'), renderBenchMarkdown(data));
    writeFileSync(join(dir, 'report.html'), await renderBenchReport(data));
    return renderBenchMarkdown(data);
  }
  writeFileSync(join(dir, 'results.md'), renderResultsMarkdown(data));
  writeFileSync(join(dir, 'report.html'), await renderRunReport(data));
  return renderResultsMarkdown(data);
}

/** `bregman report RUN_DIR`. */
export function registerReportCommand(program: Command, out: CliOutput): void {
  program
    .command('report')
    .description('rebuild results.md and report.html of a run or bench folder from its results.json')
    .argument('<runDir>', 'a run folder (runs/<timestamp>-<name>) or bench folder')
    .action(async (runDir: string) => {
      out.stdout(await reportCommand(runDir));
    });
}
