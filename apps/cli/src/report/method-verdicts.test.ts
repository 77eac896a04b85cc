import { describe, expect, it } from 'vitest';
import { buildVerdictTable, learnedDivergenceTarget, methodVerdicts } from './method-verdicts';
import type { BenchRun } from './report-data';

/** Trained rows of one method on one dataset, one per seed 1…n. */
function rows(dataset: string, method: string, divergence: string, maps: number[], querySlot?: 'left' | 'right') {
  return maps.map(
    (mapAtR, i): BenchRun => ({
      dataset,
      protocol: 'class-disjoint',
      method,
      divergence,
      seed: i + 1,
      model: 'trained',
      metrics: { mapAtR },
      ...(querySlot ? { querySlot } : {}),
    }),
  );
}

const runs: BenchRun[] = [
  // a: the ICNN row is 0.10 above ArcFace on every seed → Δ = 0.10 ± 0 → wins.
  ...rows('a', 'icnn-bs', 'icnn', [0.6, 0.62, 0.61, 0.63, 0.64], 'left'),
  ...rows('a', 'arc-face', 'cosine', [0.5, 0.52, 0.51, 0.53, 0.54]),
  ...rows('a', 'contrastive', 'euclidean', [0.4, 0.4, 0.4, 0.4, 0.4]),
  // b: Δ per seed 0.02, −0.05, 0.08, −0.05, 0.05: mean 0.01, s = √(0.0138/4) = 0.058737,
  // half-width t_{0.975,4} · s/√5 = 2.7764 · 0.026268 = 0.07293 → CI [−0.063, 0.083] contains 0 → ties.
  ...rows('b', 'icnn-bs', 'icnn', [0.6, 0.5, 0.7, 0.55, 0.65], 'left'),
  ...rows('b', 'supcon', 'cosine', [0.58, 0.55, 0.62, 0.6, 0.6]),
  // c: triplet 0.10 above the best ICNN row on every seed → the ICNN loses; the right-slot rows (0.99) are ignored,
  // and of the two ICNN rows the better one (icnn-bs, mean 0.42) is the one judged.
  ...rows('c', 'icnn-bs', 'icnn', [0.4, 0.41, 0.42, 0.43, 0.44], 'left'),
  ...rows('c', 'icnn-bs', 'icnn', [0.99, 0.99, 0.99, 0.99, 0.99], 'right'),
  ...rows('c', 'icnn-residual', 'icnn', [0.3, 0.3, 0.3, 0.3, 0.3], 'left'),
  ...rows('c', 'triplet', 'euclidean', [0.5, 0.51, 0.52, 0.53, 0.54]),
  // d: one seed: a 0.3 lead cannot win (no interval) → ties.
  ...rows('d', 'icnn-bs', 'icnn', [0.9], 'left'),
  ...rows('d', 'circle', 'cosine', [0.6]),
];

describe('methodVerdicts', () => {
  const verdicts = methodVerdicts(runs);
  const on = (dataset: string) => verdicts.find((v) => v.dataset === dataset)!;

  it('wins when the paired 95% CI to the next best lies above 0', () => {
    const a = on('a');
    expect(a.ranking.map((r) => r.method)).toEqual(['icnn-bs', 'arc-face', 'contrastive']);
    expect(a.top?.aWins).toBe(true);
    expect(a.learned?.verdict).toBe('wins');
    expect(a.learned?.b).toBe('arc-face');
    expect(a.learned?.difference.mean).toBeCloseTo(0.1, 12);
  });

  it('ties when the CI contains 0, computed by hand', () => {
    const b = on('b');
    expect(b.learned?.difference.mean).toBeCloseTo(0.01, 12);
    expect(b.learned?.difference.halfWidth).toBeCloseTo(0.07293, 4);
    expect(b.learned?.verdict).toBe('ties');
    expect(b.top?.aWins).toBe(false);
  });

  it('loses when another method wins against the best learned row; the left query slot only', () => {
    const c = on('c');
    expect(c.ranking.map((r) => r.method)).toEqual(['triplet', 'icnn-bs', 'icnn-residual']);
    expect(c.ranking[1]?.mean).toBeCloseTo(0.42, 12);
    expect(c.learned?.a).toBe('icnn-bs');
    expect(c.learned?.difference.mean).toBeCloseTo(-0.1, 12);
    expect(c.learned?.verdict).toBe('loses');
    expect(c.top?.aWins).toBe(true);
  });

  it('cannot win on one seed; the target counts wins and ties', () => {
    expect(on('d').learned?.verdict).toBe('ties');
    expect(on('d').top?.aWins).toBe(false);
    expect(learnedDivergenceTarget(verdicts)).toEqual({ met: true, count: 3, of: 4, needed: 3 });
    expect(learnedDivergenceTarget(verdicts.filter((v) => v.dataset !== 'd'))).toMatchObject({ met: false, count: 2 });
    const table = buildVerdictTable(verdicts);
    expect(table.rows[2]).toEqual([
      'c · class-disjoint',
      'triplet',
      '0.100 ± 0.000',
      'yes',
      'icnn-bs',
      'triplet',
      '-0.100 ± 0.000',
      'loses',
    ]);
  });
});
