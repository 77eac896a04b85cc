import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { planBench } from './bench-suite';

describe('planBench', () => {
  it('plans the quick suite: MNIST digits, both protocols, five divergences, one seed, CNN for class-disjoint', () => {
    const plan = planBench({ suite: 'quick' });
    expect(plan.items).toHaveLength(10);
    expect(new Set(plan.items.map((i) => i.config.divergence))).toEqual(
      new Set(['euclidean', 'cosine', 'mahalanobis', 'max-affine', 'icnn']),
    );
    for (const item of plan.items) {
      expect(item.config.dataset).toBe('mnist-digits');
      expect(item.config.trunk).toBe(item.config.protocol === 'class-disjoint' ? 'cnn' : 'auto');
    }
  });

  it('filters by divergence, protocol and seeds, and validates every cell', () => {
    const plan = planBench({ suite: 'quick', divergences: ['icnn'], protocols: ['closed-set'], seeds: 3 });
    expect(plan.items.map((i) => i.name)).toEqual([
      'mnist-digits-closed-set-icnn-s1',
      'mnist-digits-closed-set-icnn-s2',
      'mnist-digits-closed-set-icnn-s3',
    ]);
    expect(() => planBench({ suite: 'quick', overrides: { epochz: 2 } })).toThrow(
      /unknown key "epochz"; did you mean "epochs"\?/,
    );
    // Grid cells already run in parallel: data-parallel runs inside them would fight for the same cores.
    expect(() => planBench({ suite: 'quick', overrides: { dataParallel: 2 } })).toThrow(
      /expected dataParallel 1 in a bench grid .*got 2/,
    );
    expect(planBench({ suite: 'quick', overrides: { dataParallel: 1 } }).items).toHaveLength(10);
  });

  it('skips datasets that are not on this machine, with the command that fetches them', () => {
    // An empty cache directory: CIFAR-10 is then missing on any machine.
    const saved = process.env.BREGMAN_DATA_DIR;
    process.env.BREGMAN_DATA_DIR = mkdtempSync(join(tmpdir(), 'eb-empty-cache-'));
    const plan = planBench({ suite: 'standard', datasets: ['cifar10', 'wine'], seeds: 1 });
    if (saved === undefined) delete process.env.BREGMAN_DATA_DIR;
    else process.env.BREGMAN_DATA_DIR = saved;
    expect(plan.skipped).toEqual([
      { what: 'cifar10', reason: 'data not present on this machine', command: 'bregman data fetch cifar10' },
    ]);
    expect(plan.items.every((i) => i.config.dataset === 'wine' && i.config.protocol === 'closed-set')).toBe(true);
  });

  it('plans the divergence-regression task: closed-set, its four heads, never skipped, from any suite', () => {
    const saved = process.env.BREGMAN_DATA_DIR;
    process.env.BREGMAN_DATA_DIR = mkdtempSync(join(tmpdir(), 'eb-empty-cache-'));
    const standard = planBench({ suite: 'standard', seeds: 1 });
    const picked = planBench({ suite: 'quick', datasets: ['divergence-regression'], seeds: 2 });
    if (saved === undefined) delete process.env.BREGMAN_DATA_DIR;
    else process.env.BREGMAN_DATA_DIR = saved;
    const regression = standard.items.filter((i) => i.config.dataset === 'divergence-regression');
    expect(regression.map((i) => i.name)).toEqual([
      'divergence-regression-closed-set-euclidean-s1',
      'divergence-regression-closed-set-mahalanobis-s1',
      'divergence-regression-closed-set-max-affine-s1',
      'divergence-regression-closed-set-icnn-s1',
    ]);
    expect(regression.every((i) => i.config.embeddingDim === 8 && i.config.maxEvalSamples === 0)).toBe(true);
    expect(standard.skipped.map((s) => s.what)).not.toContain('divergence-regression');
    expect(picked.items).toHaveLength(8);
    expect(picked.skipped).toEqual([]);
    expect(() => planBench({ suite: 'standard', datasets: ['divergence-regression'], divergences: ['kl'] })).toThrow(
      /expected at least one run in the grid/,
    );
  });

  it("plans Deep Divergence Learning's Gaussian sets: the euclidean and icnn heads, the paper's 200 test sets, moment matching by --config", () => {
    const plan = planBench({ suite: 'standard', datasets: ['gaussian-sets'], seeds: 10 });
    expect(plan.items).toHaveLength(20);
    expect(plan.items.slice(0, 2).map((i) => i.name)).toEqual([
      'gaussian-sets-closed-set-euclidean-s1',
      'gaussian-sets-closed-set-euclidean-s2',
    ]);
    expect(new Set(plan.items.map((i) => i.config.divergence))).toEqual(new Set(['euclidean', 'icnn']));
    expect(plan.items.every((i) => i.config.maxEvalSamples === 0 && i.config.embeddingDim === 2)).toBe(true);
    const moments = planBench({
      suite: 'standard',
      datasets: ['gaussian-sets'],
      divergences: ['euclidean'],
      overrides: { setDivergence: 'moment-matching' },
    });
    expect(moments.items.map((i) => (i.config as unknown as Record<string, unknown>).setDivergence)).toEqual(
      Array(5).fill('moment-matching'),
    );
  });
});
