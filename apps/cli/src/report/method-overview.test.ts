import { describe, expect, it } from 'vitest';
import { RAW_INPUT_ROW, buildMethodOverview } from './method-overview';
import type { BenchRun } from './report-data';

const trained = (
  dataset: string,
  method: string,
  seed: number,
  mapAtR: number,
  seconds: number,
  slot?: 'left' | 'right',
) =>
  ({
    dataset,
    protocol: 'class-disjoint',
    method,
    divergence: method === 'icnn' ? 'icnn' : 'euclidean',
    seed,
    model: 'trained',
    metrics: { mapAtR },
    seconds,
    ...(slot && { querySlot: slot }),
  }) satisfies BenchRun;
const raw = (dataset: string, seed: number, mapAtR: number): BenchRun => ({
  dataset,
  protocol: 'class-disjoint',
  divergence: 'euclidean',
  seed,
  model: 'raw input',
  metrics: { mapAtR },
});

describe('buildMethodOverview', () => {
  it('a row per method and the raw reference, a column per dataset, mean ± t-interval over seeds; left slot only', () => {
    const runs: BenchRun[] = [
      // The raw reference is repeated under every run of a seed: counted once per seed.
      raw('a', 1, 0.3),
      raw('a', 1, 0.3),
      raw('a', 2, 0.3),
      trained('a', 'triplet', 1, 0.5, 10),
      trained('a', 'triplet', 2, 0.7, 14),
      trained('a', 'icnn', 1, 0.6, 20, 'left'),
      trained('a', 'icnn', 1, 0.1, 20, 'right'),
      trained('a', 'icnn', 2, 0.6, 22, 'left'),
      trained('b', 'triplet', 1, 0.4, 5),
    ];
    const [table, time] = buildMethodOverview(runs, ['mapAtR']);
    expect(table!.columns.map((c) => c.label)).toEqual(['Method', 'a', 'b']);
    // Hand-computed: mean 0.6, s = 0.1414, t(0.975, 1) = 12.706 → half-width 12.706 · 0.1414 / √2 = 1.271.
    expect(table!.rows).toEqual([
      [RAW_INPUT_ROW, '0.300 ± 0.000', '—'],
      ['triplet', '0.600 ± 1.271', '0.400'],
      ['icnn', '0.600 ± 0.000', '—'],
    ]);
    expect(table!.reference).toEqual([true, false, false]);
    expect(time!.rows).toEqual([
      ['triplet', '12.0', '5.0'],
      ['icnn', '21.0', '—'],
    ]);
  });

  it('is empty for a bench without methods', () => {
    expect(buildMethodOverview([raw('a', 1, 0.3)], ['mapAtR'])).toEqual([]);
  });
});
