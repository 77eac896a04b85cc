import { describe, expect, it } from 'vitest';
import { benchFixture } from './report-fixtures';
import { renderBenchReport } from './render-bench-report';

describe('renderBenchReport', () => {
  it('has a table and a bar chart with CI error bars per dataset and protocol', async () => {
    const html = await renderBenchReport(benchFixture());
    const names = [...html.matchAll(/data-chart="([^"]+)"><svg/g)].map((m) => m[1]);
    expect(names).toEqual(['bench-mnist-closed-set', 'bench-wine-closed-set']);
    expect(html).toContain('<td class="num">0.820 ± 0.050</td>');
    expect(html).toContain('<td class="num">0.650 ± 0.124</td>');
    expect(html).toContain('<td class="num">0.700</td>');
    expect(html).toContain('<tr class="reference"><td>raw input</td>');
    // One rule (error bar) per bar in the chart: mnist has 4 rows × 2 metrics.
    const mnist = /data-chart="bench-mnist-closed-set">(<svg[\s\S]*?<\/svg>)/.exec(html)?.[1] ?? '';
    expect((mnist.match(/aria-roledescription="rule mark"/g) ?? []).length).toBe(8);
    expect((mnist.match(/aria-roledescription="bar"/g) ?? []).length).toBe(8);
    expect(html).toContain('<code>bregman data fetch cifar10</code>');
    expect(html).toContain('<dt>suite</dt><dd>quick</dd>');
  });

  it('escapes names and commands and omits the skipped section when nothing was skipped', async () => {
    const data = benchFixture();
    const html = await renderBenchReport({
      ...data,
      runs: data.runs.map((r) => ({ ...r, divergence: `<b>${r.divergence}</b>` })),
      skipped: [{ what: '<i>x</i>', reason: 'r', command: 'a && b <c>' }],
    });
    expect(html).not.toContain('<b>');
    expect(html).not.toContain('<i>x');
    expect(html).toContain('<code>a &amp;&amp; b &lt;c&gt;</code>');
    const none = await renderBenchReport({ ...data, skipped: [] });
    expect(none).not.toContain('Skipped');
  });

  it('charts a regression dataset by rel. MSE, Spearman ρ and asymmetry agreement (MSE stays in the table)', async () => {
    const metrics = { mse: 0.2, relMse: 0.1, spearmanRho: 0.9, asymmetryAgreement: 0.5 };
    const html = await renderBenchReport({
      ...benchFixture(),
      runs: [1, 2].map((seed) => ({
        dataset: 'divergence-regression',
        protocol: 'closed-set',
        divergence: 'icnn',
        seed,
        model: 'trained',
        metrics,
      })),
      skipped: [],
    });
    expect(html).toContain('data-chart="bench-divergence-regression-closed-set"><svg');
    expect(html).toContain('error bars: 95% confidence interval (rel. MSE, Spearman ρ, asym. agree)');
    expect(html).toContain('<th class="num">MSE</th>');
  });
});
