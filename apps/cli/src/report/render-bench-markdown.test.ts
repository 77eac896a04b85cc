import { describe, expect, it } from 'vitest';
import { renderBenchMarkdown } from './render-bench-markdown';
import { benchFixture } from './report-fixtures';

describe('renderBenchMarkdown', () => {
  it('gives mean ± 95% CI half-width over seeds, computed by hand', () => {
    // icnn MAP@R over seeds 0.80, 0.82, 0.84: x̄ = 0.82, s = 0.02, t_{0.975,2} = 4.3027 → ± 4.3027·0.02/√3 = 0.0497.
    // mahalanobis 0.60, 0.70, 0.65: x̄ = 0.65, s = 0.05 → ± 4.3027·0.05/√3 = 0.1242.
    // P@1 = 0.9 + MAP@R/10: icnn 0.980, 0.982, 0.984 → 0.982 ± 0.00497; mahalanobis 0.965 ± 0.01242.
    // wine has one seed: the value alone, no interval.
    expect(renderBenchMarkdown(benchFixture())).toBe(
      [
        '# bench · quick',
        '',
        'Suite: quick · backend: wasm · tfjs 4.22.0 · SIMD on · 1 thread · 2025-01-02T03:04:05.000Z',
        '',
        'Cells: mean ± half-width of the 95% confidence interval over seeds (Student t, n − 1 degrees of freedom); ' +
          'n = number of seeds.',
        '',
        '### mnist · closed-set',
        '',
        '| Model | Divergence | n | P@1 | MAP@R |',
        '| :--- | :--- | ---: | ---: | ---: |',
        '| raw input | euclidean | 3 | 0.930 ± 0.000 | 0.300 ± 0.000 |',
        '| trained | euclidean | 3 | 0.952 ± 0.005 | 0.520 ± 0.050 |',
        '| trained | icnn | 3 | 0.982 ± 0.005 | 0.820 ± 0.050 |',
        '| trained | mahalanobis | 3 | 0.965 ± 0.012 | 0.650 ± 0.124 |',
        '',
        '### wine · closed-set',
        '',
        '| Model | Divergence | n | MAP@R |',
        '| :--- | :--- | ---: | ---: |',
        '| trained | icnn | 1 | 0.700 |',
        '',
        '### Skipped',
        '',
        '- cifar10: data not present — fetch with `bregman data fetch cifar10`',
        '',
      ].join('\n'),
    );
  });

  it('keeps query slots apart and marks a metric missing in some seeds with its n', () => {
    const data = benchFixture();
    const md = renderBenchMarkdown({
      ...data,
      runs: [
        {
          dataset: 'd',
          protocol: 'p',
          divergence: 'kl',
          querySlot: 'left',
          seed: 1,
          model: 'trained',
          metrics: { mapAtR: 0.5, nmi: 0.4 },
        },
        {
          dataset: 'd',
          protocol: 'p',
          divergence: 'kl',
          querySlot: 'left',
          seed: 2,
          model: 'trained',
          metrics: { mapAtR: 0.7 },
        },
        {
          dataset: 'd',
          protocol: 'p',
          divergence: 'kl',
          querySlot: 'right',
          seed: 1,
          model: 'trained',
          metrics: { mapAtR: 0.1 },
        },
      ],
      skipped: [],
    });
    // left: x̄ = 0.6, s = √0.02 = 0.14142, t_{0.975,1} = 12.7062 → ± 12.7062 · 0.14142/√2 = 1.2706.
    expect(md).toContain('| Model | Divergence | Query | n | MAP@R | NMI |');
    expect(md).toContain('| trained | kl | left | 2 | 0.600 ± 1.271 | 0.400 (n=1) |');
    expect(md).toContain('| trained | kl | right | 1 | 0.100 | — |');
    expect(md).not.toContain('### Skipped');
  });

  it('gives a regression dataset its own table with only its metrics, next to a retrieval one', () => {
    const data = benchFixture();
    const regression = (model: string, divergence: string, seed: number, relMse: number) => ({
      dataset: 'divergence-regression',
      protocol: 'closed-set',
      divergence,
      seed,
      model,
      metrics: { mse: relMse * 2, relMse, spearmanRho: 0.99, asymmetryAgreement: 0.5 },
    });
    const md = renderBenchMarkdown({
      ...data,
      runs: [
        ...data.runs,
        regression('raw input', 'scaled sq. euclidean', 1, 0.13),
        regression('trained', 'icnn', 1, 0.01),
        regression('trained', 'icnn', 2, 0.03),
      ],
    });
    const section = md.slice(md.indexOf('### divergence-regression · closed-set'));
    // icnn rel. MSE 0.01, 0.03: x̄ = 0.02, s = √0.0002, t_{0.975,1} = 12.7062 → ± 12.7062 · 0.014142/√2 = 0.127.
    expect(section).toContain('| Model | Divergence | n | MSE | rel. MSE | Spearman ρ | asym. agree |');
    expect(section).toContain('| raw input | scaled sq. euclidean | 1 | 0.260 | 0.130 | 0.990 | 0.500 |');
    expect(section).toContain('| trained | icnn | 2 | 0.040 ± 0.254 | 0.020 ± 0.127 | 0.990 ± 0.000 | 0.500 ± 0.000 |');
    expect(section.split('### Skipped')[0]).not.toContain('MAP@R');
    expect(md).toContain('| Model | Divergence | n | P@1 | MAP@R |');
  });

  it('labels the rows of a methods suite by method: two methods on one head stay apart, raw input has none', () => {
    const data = benchFixture();
    const run = (method: string | undefined, model: string, divergence: string, seed: number, mapAtR: number) => ({
      dataset: 'uci-digits',
      protocol: 'class-disjoint',
      ...(method !== undefined ? { method } : {}),
      divergence,
      seed,
      model,
      metrics: { mapAtR },
    });
    const md = renderBenchMarkdown({
      ...data,
      runs: [
        run(undefined, 'raw input', 'euclidean', 1, 0.3),
        run('contrastive', 'trained', 'euclidean', 1, 0.5),
        run('contrastive', 'trained', 'euclidean', 2, 0.6),
        run('triplet-semihard', 'trained', 'euclidean', 1, 0.7),
        run('triplet-semihard', 'trained', 'euclidean', 2, 0.7),
      ],
    });
    // contrastive 0.5, 0.6: x̄ = 0.55, s = 0.0707, t_{0.975,1} = 12.7062 → ± 12.7062 · 0.0707/√2 = 0.635.
    expect(md).toContain(
      [
        '| Method | Model | Divergence | n | MAP@R |',
        '| :--- | :--- | :--- | ---: | ---: |',
        '|  | raw input | euclidean | 1 | 0.300 |',
        '| contrastive | trained | euclidean | 2 | 0.550 ± 0.635 |',
        '| triplet-semihard | trained | euclidean | 2 | 0.700 ± 0.000 |',
      ].join('\n'),
    );
  });
});
