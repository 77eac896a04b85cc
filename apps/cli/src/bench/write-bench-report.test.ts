import { describe, expect, it } from 'vitest';
import type { GridItemResult } from './run-grid-item';
import { gridResultLine } from './write-bench-report';

const result = (rows: GridItemResult['rows']): GridItemResult => ({
  dir: 'x',
  rows,
  backend: 'wasm',
  seconds: 12.4,
  bestEpoch: 3,
});

describe('gridResultLine', () => {
  it('summarises retrieval runs by MAP@R per query slot and regression runs by relative MSE and ρ, set clustering by Rand index and ARI', () => {
    const retrieval = result([
      { protocol: 'closed-set', model: 'raw input', divergence: 'euclidean', metrics: { mapAtR: 0.3 } },
      { protocol: 'closed-set', model: 'trained', divergence: 'icnn', querySlot: 'left', metrics: { mapAtR: 0.8174 } },
      { protocol: 'closed-set', model: 'trained', divergence: 'icnn', querySlot: 'right', metrics: { mapAtR: 0.8161 } },
    ]);
    expect(gridResultLine(2, 10, 'mnist-icnn-s1', retrieval)).toBe(
      '[2/10] mnist-icnn-s1: MAP@R 0.817 (left), MAP@R 0.816 (right) in 12 s',
    );
    const regression = result([
      {
        protocol: 'closed-set',
        model: 'trained',
        divergence: 'icnn',
        metrics: { relMse: 0.0021, spearmanRho: 0.9987 },
      },
    ]);
    expect(gridResultLine(1, 4, 'dr-icnn-s1', regression)).toBe('[1/4] dr-icnn-s1: rel. MSE 0.002, ρ 0.999 in 12 s');
    const sets = result([
      { protocol: 'closed-set', model: 'trained', divergence: 'icnn', metrics: { randIndex: 0.9871, ari: 0.9712 } },
    ]);
    expect(gridResultLine(3, 20, 'gs-icnn-s1', sets)).toBe('[3/20] gs-icnn-s1: Rand index 0.987, ARI 0.971 in 12 s');
  });
});
