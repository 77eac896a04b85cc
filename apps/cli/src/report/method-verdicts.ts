import { type MeanInterval, meanConfidenceInterval } from './mean-confidence-interval';
import { formatNumber, metricLabel } from './metric-names';
import type { BenchRun } from './report-data';
import type { ReportTable } from './report-table';

/** Whether the learned divergence wins, ties or loses on one dataset (see {@link methodVerdicts}). */
export type Verdict = 'wins' | 'ties' | 'loses';

/** The paired comparison of two methods over the seeds both have: the mean difference a − b and its 95% CI. */
export interface PairedDifference {
  readonly a: string;
  readonly b: string;
  readonly difference: MeanInterval;
  /** True when the CI's lower end lies above 0 (needs ≥ 2 common seeds). */
  readonly aWins: boolean;
}

/** The verdicts on one (dataset, protocol). */
export interface MethodVerdict {
  readonly dataset: string;
  readonly protocol: string;
  readonly metric: string;
  /** Methods by mean, best first. */
  readonly ranking: readonly { readonly method: string; readonly mean: number; readonly seeds: number }[];
  /** The best method against the next best: a win when its CI lies above 0. */
  readonly top: PairedDifference | null;
  /** The best learned-divergence method against the best other method, and the verdict; null without both kinds. */
  readonly learned: (PairedDifference & { readonly verdict: Verdict }) | null;
}

/**
 * Per seed, a method's value of `metric`: its trained rows, the query in the left slot for an asymmetric head (the
 * slot every symmetric head's single row also stands for). Seeds are paired by their number.
 */
function perSeed(runs: readonly BenchRun[], metric: string): Map<string, Map<number, number>> {
  const out = new Map<string, Map<number, number>>();
  for (const run of runs) {
    if (run.method === undefined || run.model !== 'trained') continue;
    if (run.querySlot !== undefined && run.querySlot !== 'left') continue;
    const value = run.metrics[metric];
    if (value === undefined || !Number.isFinite(value)) continue;
    const seeds = out.get(run.method) ?? new Map<number, number>();
    out.set(run.method, seeds);
    seeds.set(run.seed, value);
  }
  return out;
}

function paired(a: string, b: string, values: Map<string, Map<number, number>>, level: number): PairedDifference {
  const va = values.get(a)!;
  const vb = values.get(b)!;
  const diffs = [...va.keys()].filter((s) => vb.has(s)).map((s) => va.get(s)! - vb.get(s)!);
  const difference = meanConfidenceInterval(diffs, level);
  const aWins = difference.halfWidth !== null && difference.mean - difference.halfWidth > 0;
  return { a, b, difference, aWins };
}

/**
 * The win rule of issue 21 on a methods bench, per (dataset, protocol): a method *wins* when the 95% confidence
 * interval of its paired per-seed difference to the next best lies above 0 (Student t over the common seeds; one
 * seed can never win). For the learned divergence — the best of the rows `isLearned` picks (default: the ICNN head)
 * — against the best of the other methods: it *wins* by that rule, *loses* when some other method wins against it
 * (its paired CI above 0), and *ties* otherwise.
 *
 * ```ts
 * methodVerdicts(results.runs)[0].learned?.verdict; // 'wins' | 'ties' | 'loses'
 * ```
 */
export function methodVerdicts(
  runs: readonly BenchRun[],
  options: { metric?: string; level?: number; isLearned?: (run: BenchRun) => boolean } = {},
): MethodVerdict[] {
  const metric = options.metric ?? 'mapAtR';
  const level = options.level ?? 0.95;
  const isLearned = options.isLearned ?? ((run: BenchRun) => run.divergence === 'icnn');
  const groups = new Map<string, BenchRun[]>();
  for (const run of runs) {
    if (run.method === undefined) continue;
    const key = JSON.stringify([run.dataset, run.protocol]);
    groups.set(key, [...(groups.get(key) ?? []), run]);
  }
  return [...groups.values()].map((group): MethodVerdict => {
    const values = perSeed(group, metric);
    const mean = (m: string) => [...values.get(m)!.values()].reduce((s, v) => s + v, 0) / values.get(m)!.size;
    const ranking = [...values.keys()]
      .map((method) => ({ method, mean: mean(method), seeds: values.get(method)!.size }))
      .sort((x, y) => y.mean - x.mean);
    const learnedMethods = new Set(group.filter(isLearned).map((r) => r.method!));
    const bestLearned = ranking.find((r) => learnedMethods.has(r.method));
    const others = ranking.filter((r) => !learnedMethods.has(r.method));
    let learned: MethodVerdict['learned'] = null;
    if (bestLearned && others.length > 0) {
      const rival = others[0]!;
      const against = paired(bestLearned.method, rival.method, values, level);
      const beaten = others.some((o) => paired(o.method, bestLearned.method, values, level).aWins);
      const verdict: Verdict = against.aWins ? 'wins' : beaten ? 'loses' : 'ties';
      learned = { ...against, verdict };
    }
    return {
      dataset: group[0]!.dataset,
      protocol: group[0]!.protocol,
      metric,
      ranking,
      top: ranking.length >= 2 ? paired(ranking[0]!.method, ranking[1]!.method, values, level) : null,
      learned,
    };
  });
}

/** Issue 21's target: the learned divergence best or tied-best (wins or ties) on at least `needed` datasets. */
export function learnedDivergenceTarget(
  verdicts: readonly MethodVerdict[],
  needed = 3,
): { met: boolean; count: number; of: number; needed: number } {
  const judged = verdicts.filter((v) => v.learned !== null);
  const count = judged.filter((v) => v.learned!.verdict !== 'loses').length;
  return { met: count >= needed, count, of: judged.length, needed };
}

// A half-width below the printed precision is round-off of equal differences (e.g. 3e-17): shown as 0.000.
const interval = (d: MeanInterval) =>
  d.halfWidth === null
    ? `${formatNumber(d.mean)} (n=${d.n})`
    : `${formatNumber(d.mean)} ± ${d.halfWidth < 5e-4 ? '0.000' : formatNumber(d.halfWidth)}`;

/** The verdicts as one table: per dataset the best method, whether it wins, and the learned divergence's verdict. */
export function buildVerdictTable(verdicts: readonly MethodVerdict[]): ReportTable {
  const metric = verdicts[0] ? metricLabel(verdicts[0].metric) : '';
  return {
    caption: `Learned divergence vs the other methods (${metric}, paired per seed, 95% CI)`,
    columns: [
      { label: 'Dataset', align: 'left' },
      { label: 'Best method', align: 'left' },
      { label: 'Δ to next best', align: 'right' },
      { label: 'Best wins', align: 'left' },
      { label: 'Learned divergence', align: 'left' },
      { label: 'Best other method', align: 'left' },
      { label: 'Δ learned − other', align: 'right' },
      { label: 'Verdict', align: 'left' },
    ],
    rows: verdicts.map((v) => [
      `${v.dataset} · ${v.protocol}`,
      v.ranking[0]?.method ?? '—',
      v.top ? interval(v.top.difference) : '—',
      v.top ? (v.top.aWins ? 'yes' : 'no') : '—',
      v.learned?.a ?? '—',
      v.learned?.b ?? '—',
      v.learned ? interval(v.learned.difference) : '—',
      v.learned?.verdict ?? '—',
    ]),
  };
}
