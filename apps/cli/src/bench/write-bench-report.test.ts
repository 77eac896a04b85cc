import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateRunConfig } from '../config/validate-run-config';
import type { GridItemResult } from './run-grid-item';
import { gridResultLine, writeBenchReport } from './write-bench-report';

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

describe('writeBenchReport with a methods axis', () => {
  it('labels a method cell’s trained rows, keeps raw input once and unlabelled, leaves out its untrained network', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eb-bench-report-'));
    const rows = (mapAtR: number): GridItemResult['rows'] => [
      { protocol: 'class-disjoint', model: 'raw input', divergence: 'euclidean', metrics: { mapAtR: 0.3 } },
      { protocol: 'class-disjoint', model: 'untrained network', divergence: 'euclidean', metrics: { mapAtR: 0.2 } },
      { protocol: 'class-disjoint', model: 'trained', divergence: 'euclidean', metrics: { mapAtR } },
    ];
    const item = (method: string) => ({
      config: validateRunConfig({ dataset: 'uci-digits', divergence: 'euclidean', name: `${method}-s1` }, 'test'),
      name: `${method}-s1`,
      method,
    });
    const plan = { items: [item('contrastive'), item('triplet-semihard')], skipped: [] };
    const data = await writeBenchReport(
      dir,
      'quick',
      plan,
      [
        { status: 'finished', result: { ...result(rows(0.5)), dir: join(dir, 'contrastive-s1') } },
        { status: 'finished', result: { ...result(rows(0.7)), dir: join(dir, 'triplet-semihard-s1') } },
      ],
      { backend: 'cpu', tfjsVersion: '4.22.0', simd: null, threads: null },
    );
    expect(data.runs.map((r) => [r.method ?? null, r.model, r.metrics.mapAtR, r.seconds ?? null])).toEqual([
      [null, 'raw input', 0.3, null],
      ['contrastive', 'trained', 0.5, 12.4],
      ['triplet-semihard', 'trained', 0.7, 12.4],
    ]);
    expect(readFileSync(join(dir, 'results.md'), 'utf8')).toContain('| triplet-semihard | trained | euclidean | 1 |');
  });
});
