import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { initBackend } from '@empirical-bregman/runtime';
import type { Command } from 'commander';
import { type CliOutput, printJson } from '../cli/cli-output';
import { renderResultsMarkdown } from '../report/index';
import { readRunReport } from '../report/read-report-file';
import type { RunReportData } from '../report/report-data';
import { writeJson } from '../run/run-folder';
import { backendSummary } from '../run/train-run';
import { embedAll } from '../tasks/retrieval/embeddings';
import { finalResults, scoreUncertainty, type Uncertainty, withUncertainty } from '../tasks/retrieval/retrieval-task';
import { loadRun, prepareRunData } from './load-run';

/**
 * `bregman eval RUN_DIR`: re-evaluates the saved model on the run's test part — the retrieval rows, and its
 * uncertainty (closed-set: calibrated class probabilities; class-disjoint: unseen-class detection) — and writes and
 * returns eval.json.
 */
export async function evalCommand(
  runDir: string,
  options: { quiet?: boolean } = {},
): Promise<{ dir: string; report: RunReportData }> {
  const backend = await initBackend({ quiet: options.quiet });
  const { dir, config, trunk, divergence } = await loadRun(runDir, 'eval');
  try {
    const data = await prepareRunData(dir, config, 'eval');
    // A class-disjoint run trained before the seen-class test part existed trained on all of it: detection would
    // count trained items as "seen", so it is scored only for runs whose own report has it.
    const ownReport = join(dir, 'results.json');
    const heldOut = existsSync(ownReport) && readRunReport(ownReport, 'eval').unseenClasses !== undefined;
    const notes = [`re-evaluated the saved model; ${data.description}`];
    if (data.seenTest && !heldOut)
      notes.push(
        'unseen-class detection not scored: this run was trained before class-disjoint runs held out a seen-class test part',
      );
    const test = embedAll(trunk, data.test);
    let results: Awaited<ReturnType<typeof finalResults>>;
    let uncertainty: Uncertainty;
    try {
      results = await finalResults(config, data, test, divergence, {});
      uncertainty = await scoreUncertainty(config, data, trunk, divergence, test, { seenTest: heldOut });
    } finally {
      test.dispose();
    }
    const report: RunReportData = {
      title: `re-evaluation of ${dir}`,
      createdAt: new Date().toISOString(),
      backend: backendSummary(backend),
      config: { ...config },
      curves: [],
      results: withUncertainty(results, uncertainty),
      ...uncertainty.sections,
      notes,
    };
    writeJson(join(dir, 'eval.json'), report);
    return { dir, report };
  } finally {
    trunk.dispose();
    divergence.dispose();
  }
}

/** `bregman eval RUN_DIR`. */
export function registerEvalCommand(program: Command, out: CliOutput): void {
  program
    .command('eval')
    .description("re-evaluate a finished run's saved model on its test part (writes eval.json)")
    .argument('<runDir>', 'a run folder')
    .option('--json', 'print only the results as one JSON document on stdout: { runDir, report }')
    .option('-q, --quiet', 'no backend line')
    .action(async (runDir: string, opts: { json?: boolean; quiet?: boolean }) => {
      const { dir, report } = await evalCommand(runDir, { quiet: opts.quiet });
      if (opts.json) printJson(out, { runDir: dir, report });
      else out.stdout(renderResultsMarkdown(report));
    });
}
