import { existsSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CliError } from '../cli-error';
import { markdownTable } from '../report/markdown-table';
import { formatNumber } from '../report/metric-names';
import { readRunReport } from '../report/read-report-file';
import { readJson, writeJson } from '../run/run-folder';
import { BENCH_METHODS } from './bench-methods';
import type { BenchPlan } from './bench-suite';
import { chooseTrials, type TrialScore } from './choose-trials';
import type { GridCellOutcome } from './grid-cell-outcome';

/** tuning.json of a `bench --tune` folder: every trial's validation scores and, per method, the chosen settings. */
export interface TuningFile {
  readonly suite: string;
  /** What a trial is scored by. */
  readonly metric: string;
  readonly datasets: readonly string[];
  readonly trials: readonly {
    readonly method: string;
    readonly trial: number;
    readonly settings: Readonly<Record<string, unknown>>;
    /** Per tuning dataset; null for a run that failed. */
    readonly scores: Readonly<Record<string, number | null>>;
  }[];
  /** Per method: the chosen trial's settings, which `bench --tuning` applies over the method's own. */
  readonly chosen: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

const METRIC = 'best validation MAP@R (held-out training classes), seed 1';

/** The best validation MAP@R of a finished run folder (the epoch early stopping keeps). */
function validationScore(runDir: string): number {
  const report = readRunReport(join(runDir, 'results.json'), 'bench --tune');
  const values = report.curves.filter((c) => c.split === 'val' && c.metric === 'mapAtR').map((c) => c.value);
  return values.length > 0 ? Math.max(...values) : Number.NaN;
}

/**
 * The end of a `bench --tune` grid: each cell's validation score, the choice per method ({@link chooseTrials}),
 * written as tuning.json (for `bench --tuning`) and tuning.md (the trials' table) in the bench folder.
 */
export function writeTuning(
  dir: string,
  suite: string,
  plan: BenchPlan,
  outcomes: readonly GridCellOutcome[],
): TuningFile {
  const scores: TrialScore[] = [];
  for (const [i, item] of plan.items.entries()) {
    if (item.method === undefined || item.trial === undefined) continue;
    const outcome = outcomes[i]!;
    const score = outcome.status === 'finished' ? validationScore(outcome.result.dir) : Number.NaN;
    scores.push({ method: item.method, trial: item.trial, dataset: item.config.dataset, score });
  }
  const datasets = [...new Set(scores.map((s) => s.dataset))];
  const settingsOf = (method: string, trial: number) =>
    BENCH_METHODS.find((m) => m.name === method)?.trials[trial] ?? {};
  const trials = new Map<string, TuningFile['trials'][number]>();
  for (const s of scores) {
    const key = `${s.method}/${s.trial}`;
    const entry = trials.get(key) ?? {
      method: s.method,
      trial: s.trial,
      settings: settingsOf(s.method, s.trial),
      scores: {},
    };
    trials.set(key, { ...entry, scores: { ...entry.scores, [s.dataset]: Number.isFinite(s.score) ? s.score : null } });
  }
  const choices = chooseTrials(scores);
  const tuning: TuningFile = {
    suite,
    metric: METRIC,
    datasets,
    trials: [...trials.values()],
    chosen: Object.fromEntries(Object.entries(choices).map(([m, c]) => [m, settingsOf(m, c.trial)])),
  };
  writeJson(join(dir, 'tuning.json'), tuning);
  const rows = tuning.trials.map((t) => [
    t.method,
    String(t.trial + 1),
    Object.keys(t.settings).length > 0 ? JSON.stringify(t.settings) : '(defaults)',
    ...datasets.map((d) => (t.scores[d] === null || t.scores[d] === undefined ? 'failed' : formatNumber(t.scores[d]))),
    choices[t.method]?.trial === t.trial ? 'chosen' : '',
  ]);
  writeFileSync(
    join(dir, 'tuning.md'),
    `# bregman bench --suite ${suite} --tune\n\nScore: ${METRIC}; a method's choice is its trial with the best mean over ${datasets.join(', ')}.\n\n${markdownTable(
      ['Method', 'Trial', 'Settings', ...datasets, 'Choice'],
      rows,
      ['left', 'right', 'left', ...datasets.map(() => 'right' as const), 'left'],
    )}\n`,
  );
  return tuning;
}

/** `bench --tuning PATH`: the chosen settings per method from a tuning.json (or the `--tune` folder holding one). */
export function readTuning(path: string): Record<string, Record<string, unknown>> {
  const file = existsSync(path) && statSync(path).isDirectory() ? join(path, 'tuning.json') : resolve(path);
  if (!existsSync(file))
    throw new CliError('bench --tuning', 'NOT_FOUND', `expected a tuning.json at ${file}, got no such file`);
  const raw = readJson<{ chosen?: unknown }>(file, 'bench --tuning');
  const chosen = raw.chosen;
  if (
    typeof chosen !== 'object' ||
    chosen === null ||
    Array.isArray(chosen) ||
    !Object.values(chosen).every((v) => typeof v === 'object' && v !== null && !Array.isArray(v))
  )
    throw new CliError(
      'bench --tuning',
      'BAD_FORMAT',
      `expected ${file} to hold { chosen: { <method>: { settings } } }, got another shape`,
    );
  return chosen as Record<string, Record<string, unknown>>;
}
