import { describe, expect, it } from 'vitest';
import { chooseTrials } from './choose-trials';

describe('chooseTrials', () => {
  it('takes the best mean validation score over the tuning datasets, per method', () => {
    // supcon: trial 0 → (0.40 + 0.60)/2 = 0.50; trial 1 → (0.50 + 0.45)/2 = 0.475; trial 2 → (0.30 + 0.80)/2 = 0.55.
    // circle has one trial. Trial 2 wins although trial 1 is best on dataset a.
    const choice = chooseTrials([
      { method: 'supcon', trial: 0, dataset: 'a', score: 0.4 },
      { method: 'supcon', trial: 0, dataset: 'b', score: 0.6 },
      { method: 'supcon', trial: 1, dataset: 'a', score: 0.5 },
      { method: 'supcon', trial: 1, dataset: 'b', score: 0.45 },
      { method: 'supcon', trial: 2, dataset: 'a', score: 0.3 },
      { method: 'supcon', trial: 2, dataset: 'b', score: 0.8 },
      { method: 'circle', trial: 0, dataset: 'a', score: 0.2 },
      { method: 'circle', trial: 0, dataset: 'b', score: 0.3 },
    ]);
    expect(choice.supcon).toEqual({ trial: 2, meanScore: 0.55 });
    expect(choice.circle?.trial).toBe(0);
    expect(choice.circle?.meanScore).toBeCloseTo(0.25, 12);
  });

  it('never prefers a trial that failed (NaN) or is missing on a dataset; ties go to the earlier trial', () => {
    const choice = chooseTrials([
      { method: 'm', trial: 0, dataset: 'a', score: 0.5 },
      { method: 'm', trial: 0, dataset: 'b', score: 0.5 },
      { method: 'm', trial: 1, dataset: 'a', score: 0.9 },
      { method: 'm', trial: 1, dataset: 'b', score: Number.NaN },
      { method: 'm', trial: 2, dataset: 'a', score: 0.99 },
      { method: 'm', trial: 3, dataset: 'a', score: 0.5 },
      { method: 'm', trial: 3, dataset: 'b', score: 0.5 },
    ]);
    expect(choice.m).toEqual({ trial: 0, meanScore: 0.5 });
  });
});
