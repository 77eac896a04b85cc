/** One finished tuning trial: a method's trial on one tuning dataset, scored on its validation classes. */
export interface TrialScore {
  readonly method: string;
  /** Index of the trial in the method's search space. */
  readonly trial: number;
  readonly dataset: string;
  /** Best validation MAP@R of the run (the epoch early stopping keeps); NaN when the run failed or diverged. */
  readonly score: number;
}

/** A method's chosen trial and its mean validation score over the tuning datasets. */
export interface TrialChoice {
  readonly trial: number;
  readonly meanScore: number;
}

/**
 * The search's choice, per method: the trial with the highest mean validation score over the tuning datasets
 * (a trial missing on a dataset, or NaN there, counts as failed there: it cannot be chosen over a trial that ran
 * everywhere). Ties go to the earlier trial (the search spaces list the papers' defaults first where they have one).
 *
 * ```ts
 * chooseTrials([
 *   { method: 'supcon', trial: 0, dataset: 'a', score: 0.4 },
 *   { method: 'supcon', trial: 1, dataset: 'a', score: 0.5 },
 * ]); // → { supcon: { trial: 1, meanScore: 0.5 } }
 * ```
 */
export function chooseTrials(scores: readonly TrialScore[]): Record<string, TrialChoice> {
  const datasets = [...new Set(scores.map((s) => s.dataset))];
  const byMethod = new Map<string, Map<number, Map<string, number>>>();
  for (const s of scores) {
    const trials = byMethod.get(s.method) ?? new Map<number, Map<string, number>>();
    byMethod.set(s.method, trials);
    const perDataset = trials.get(s.trial) ?? new Map<string, number>();
    trials.set(s.trial, perDataset);
    perDataset.set(s.dataset, s.score);
  }
  const choices: Record<string, TrialChoice> = {};
  for (const [method, trials] of byMethod) {
    let best: TrialChoice | undefined;
    for (const trial of [...trials.keys()].sort((a, b) => a - b)) {
      const perDataset = trials.get(trial)!;
      const values = datasets.map((d) => perDataset.get(d) ?? Number.NaN);
      // A failed cell scores −∞: a trial that ran everywhere is preferred to one that broke somewhere.
      const meanScore = values.some((v) => !Number.isFinite(v))
        ? Number.NEGATIVE_INFINITY
        : values.reduce((a, b) => a + b, 0) / values.length;
      if (best === undefined || meanScore > best.meanScore) best = { trial, meanScore };
    }
    if (best) choices[method] = best;
  }
  return choices;
}
