import { join } from 'node:path';
import { initBackend } from '@empirical-bregman/runtime';
import { renderResultsMarkdown } from '../report/index';
import type { RunReportData } from '../report/report-data';
import { prepareData } from '../tasks/retrieval/prepare-data';
import { writeJson } from '../run/run-folder';
import { backendSummary } from '../run/train-run';
import { finalResults } from '../tasks/retrieval/retrieval-task';
import { loadRun } from './load-run';

/** `bregman eval RUN_DIR`: re-evaluates the saved model on the run's test part; writes eval.json, returns the table. */
export async function evalCommand(runDir: string, options: { quiet?: boolean } = {}): Promise<string> {
  const backend = await initBackend({ quiet: options.quiet });
  const { dir, config, trunk, divergence } = await loadRun(runDir, 'eval');
  try {
    const data = await prepareData(config);
    const results = await finalResults(config, data, trunk, divergence, {});
    const report: RunReportData = {
      title: `re-evaluation of ${dir}`,
      createdAt: new Date().toISOString(),
      backend: backendSummary(backend),
      config: { ...config },
      curves: [],
      results,
      notes: [`re-evaluated the saved model; ${data.description}`],
    };
    writeJson(join(dir, 'eval.json'), report);
    return renderResultsMarkdown(report);
  } finally {
    trunk.dispose();
    divergence.dispose();
  }
}
