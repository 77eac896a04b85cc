import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BENCH_METHODS } from './bench-methods';
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

describe('planBench --suite methods', () => {
  it('plans every method on every available dataset, class-disjoint, 5 seeds, with the same shared settings', () => {
    const plan = planBench({ suite: 'methods', datasets: ['uci-digits'] });
    const methods = [...new Set(plan.items.map((i) => i.method))];
    expect(methods).toEqual(BENCH_METHODS.map((m) => m.name));
    expect(plan.items).toHaveLength(BENCH_METHODS.length * 5);
    const first = plan.items.find((i) => i.method === 'triplet-semihard' && i.config.seed === 2)!;
    expect(first.name).toBe('uci-digits-class-disjoint-triplet-semihard-s2');
    expect([first.config.loss, first.config.miner, first.config.divergence]).toEqual([
      'triplet',
      'semihard',
      'euclidean',
    ]);
    const arc = plan.items.find((i) => i.method === 'arc-face')!;
    expect([arc.config.loss, arc.config.divergence]).toEqual(['arc-face', 'cosine']);
    // Fairness: trunk, embedding, batch, optimiser and epoch budget are the same for every method.
    const shared = (c: (typeof plan.items)[number]['config']) =>
      JSON.stringify([c.trunk, c.hidden, c.embeddingDim, c.batchSize, c.samplesPerClass, c.learningRate, c.epochs]);
    expect(new Set(plan.items.map((i) => shared(i.config))).size).toBe(1);
    expect(plan.items.every((i) => i.config.protocol === 'class-disjoint')).toBe(true);
  });

  it('filters methods by name and by divergence, refuses --methods elsewhere, has a one-seed smoke variant', () => {
    const picked = planBench({ suite: 'methods', datasets: ['uci-digits'], methods: ['arc-face'], seeds: 2 });
    expect(picked.items.map((i) => i.name)).toEqual([
      'uci-digits-class-disjoint-arc-face-s1',
      'uci-digits-class-disjoint-arc-face-s2',
    ]);
    const icnn = planBench({ suite: 'methods', datasets: ['uci-digits'], divergences: ['icnn'], seeds: 1 });
    expect(icnn.items.every((i) => i.config.divergence === 'icnn')).toBe(true);
    expect(icnn.items.length).toBe(BENCH_METHODS.filter((m) => m.settings.divergence === 'icnn').length);
    expect(() => planBench({ suite: 'methods', methods: ['arcface'] })).toThrow(
      /got "arcface"; did you mean "arc-face"\?/,
    );
    expect(() => planBench({ suite: 'quick', methods: ['arc-face'] })).toThrow(/expected --methods with a suite/);
    expect(() => planBench({ suite: 'quick', smoke: true })).toThrow(/expected --smoke with a suite/);
    const smoke = planBench({ suite: 'methods', smoke: true });
    expect(smoke.items).toHaveLength(BENCH_METHODS.length);
    expect(smoke.items.every((i) => i.config.dataset === 'uci-digits' && i.config.epochs === 1)).toBe(true);
  });
});

describe('planBench --tune / --tuning', () => {
  it("plans each method's trials once on the tuning datasets, seed 1, validated on held-out classes", () => {
    const plan = planBench({ suite: 'methods', smoke: true, tune: true, methods: ['supcon', 'circle'] });
    expect(plan.items.map((i) => [i.name, i.trial, i.config.temperature])).toEqual([
      ['uci-digits-class-disjoint-supcon-t1', 0, 0.05],
      ['uci-digits-class-disjoint-supcon-t2', 1, 0.1],
      ['uci-digits-class-disjoint-supcon-t3', 2, 0.2],
      ['uci-digits-class-disjoint-supcon-t4', 3, 0.5],
      ['uci-digits-class-disjoint-circle-t1', 0, 0.1],
    ]);
    expect(plan.items.every((i) => i.config.seed === 1 && i.config.validation === 'classes')).toBe(true);
    expect(BENCH_METHODS.every((m) => m.trials.length >= 1 && m.trials.length <= 4)).toBe(true);
    expect(() => planBench({ suite: 'methods', tune: true, seeds: 3 })).toThrow(/expected --tune with one seed/);
    expect(() => planBench({ suite: 'quick', tune: true })).toThrow(/expected --tune or --tuning with a suite/);
  });

  it("applies the search's choice over the method's settings, and refuses a method the suite does not have", () => {
    const plan = planBench({
      suite: 'methods',
      datasets: ['uci-digits'],
      methods: ['supcon', 'triplet-semihard'],
      seeds: 1,
      tuned: { supcon: { temperature: 0.2 } },
    });
    expect(plan.items.map((i) => [i.method, i.config.temperature, i.config.margin])).toEqual([
      ['triplet-semihard', 0.1, 0.1],
      ['supcon', 0.2, 0.1],
    ]);
    expect(() => planBench({ suite: 'methods', tuned: { arcface: { margin: 1 } } })).toThrow(
      /expected the tuning choice to name methods of the suite, got "arcface"/,
    );
  });
});

describe('the CLI README', () => {
  it('lists every method of the methods suite in its methods table', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('## The methods suite'), readme.indexOf('## Your data'));
    for (const m of BENCH_METHODS) expect(section).toContain(`| \`${m.name}\` |`);
  });
});
