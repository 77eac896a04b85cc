import { describe, expect, it } from 'vitest';
import type { RunReportData } from './report-data';
import { runFixture } from './report-fixtures';
import { renderRunReport } from './render-run-report';

/** data-chart name → the SVG markup inside its container. */
function charts(html: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of html.matchAll(/data-chart="([^"]+)">(<svg[\s\S]*?<\/svg>)/g)) out.set(m[1], m[2]);
  return out;
}

const ALL = ['train-curve', 'validation-curve', 'projection', 'divergence-matrix', 'phi-surface'];

describe('renderRunReport', () => {
  it('draws every chart as inline SVG when its data is present', async () => {
    const html = await renderRunReport(runFixture());
    const found = charts(html);
    expect([...found.keys()]).toEqual(ALL);
    expect([...html.matchAll(/data-chart="/g)].length).toBe(ALL.length);
    for (const svg of found.values()) {
      const size = /<svg[^>]* width="(\d+)" height="(\d+)"/.exec(svg);
      expect(size).not.toBeNull();
      expect(Number(size?.[1])).toBeGreaterThan(100);
      expect(Number(size?.[2])).toBeGreaterThan(100);
    }
    // The results table, the notes, the retrieval images and the configuration are there too.
    expect(html).toContain('<h3>class-disjoint</h3>');
    expect(html).toContain('<h3>closed-set</h3>');
    expect(html).toContain('<th class="num">MAP@R</th>');
    expect(html).toContain('<td class="num">0.812</td>');
    expect(html).toContain('<tr class="reference"><td>raw input</td>');
    expect(html).toContain('Early stopping at epoch 9');
    expect([...html.matchAll(/<img src="data:image\/png;base64,/g)].length).toBe(3 * 6);
    expect(html).toContain('&quot;dataset&quot;: &quot;mnist&quot;');
    expect(html).toContain('<dt>backend</dt><dd>wasm</dd>');
  });

  it('leaves out every section whose data is absent', async () => {
    const full = runFixture();
    const html = await renderRunReport({
      ...full,
      curves: [],
      projection: undefined,
      divergenceMatrix: undefined,
      phiSurface: undefined,
      retrievalExamples: undefined,
      notes: undefined,
    });
    expect(html).not.toContain('data-chart');
    expect(html).not.toContain('<svg');
    for (const heading of ['Learning curves', 'Embedding geometry', 'Learned generator', 'Retrieval examples']) {
      expect(html).not.toContain(heading);
    }
    expect(html).not.toContain('<ul class="notes">');
    expect(html).toContain('Results');
    expect(html).toContain('Backend and configuration');
  });

  it('draws only the curves of the splits it has', async () => {
    const full = runFixture();
    const html = await renderRunReport({
      ...full,
      curves: full.curves.filter((c) => c.split === 'val'),
      projection: undefined,
      divergenceMatrix: undefined,
      phiSurface: undefined,
    });
    expect([...charts(html).keys()]).toEqual(['validation-curve']);
  });

  it('escapes all text and is self-contained: no script, no remote resource', async () => {
    const evil = '<script>alert("x")</script>';
    const data: RunReportData = {
      ...runFixture(),
      title: evil,
      results: [{ protocol: evil, model: evil, divergence: '<img src=x onerror=alert(1)>', metrics: { [evil]: 1 } }],
      curves: [{ epoch: 1, step: 1, split: 'val', metric: evil, value: 0.5 }],
      notes: [evil],
    };
    const html = await renderRunReport(data);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(html).not.toMatch(/(src|href)\s*=\s*["']?(https?:)?\/\//i);
    expect(html).toContain("default-src 'none'");
  });

  it('rejects a projection whose arrays disagree in length', async () => {
    const data = { ...runFixture(), projection: { x: [0, 1], y: [0], labels: [0, 1], method: 'm' } };
    await expect(renderRunReport(data)).rejects.toThrow(/x, y and labels of equal length, got 2, 1 and 2/);
  });
});

describe('renderRunReport: unseen-class detection', () => {
  it('tables each score with its AUROC and FPR95, and leaves the section out without the data', async () => {
    const data: RunReportData = {
      ...runFixture(),
      unseenClasses: {
        temperature: 0.25,
        seenItems: 120,
        unseenItems: 300,
        scores: [
          { score: 'minDivergence', auroc: 0.8125, fprAtTpr95: 0.5 },
          { score: 'energy', auroc: 0.75, fprAtTpr95: 0.625 },
        ],
      },
    };
    const html = await renderRunReport(data);
    const part = html.slice(html.indexOf('id="unseen-classes"'));
    expect(part).toMatch(/300 items of the unseen test classes against 120 held-out items/);
    expect(part).toMatch(
      /min D\(z, μ_c\) to a training class centroid<\/td><td class="num">0\.813<\/td><td class="num">0\.500/,
    );
    expect(part).toMatch(/−τ log Σ_c exp\(−D\(z, μ_c\)\/τ\)<\/td><td class="num">0\.750<\/td><td class="num">0\.625/);
    expect(await renderRunReport(runFixture())).not.toContain('id="unseen-classes"');
  });
});

describe('renderRunReport: training samples and colour tiles', () => {
  it('draws the sample grid with class names, and RGB retrieval tiles with names instead of numbers', async () => {
    const rgb = [1, 0, 0, 0, 0, 1]; // 2×1: a red pixel over a blue one
    const data: RunReportData = {
      ...runFixture(),
      samples: { imageShape: [2, 1], channels: 3, classes: [{ label: 0, name: '一', images: [rgb, rgb] }] },
      retrievalExamples: {
        imageShape: [2, 1],
        channels: 3,
        classNames: ['grinning face', 'cat'],
        examples: [{ query: { pixels: rgb, label: 0 }, neighbours: [{ pixels: rgb, label: 1, divergence: 0.5 }] }],
      },
    };
    const html = await renderRunReport(data);
    const samples = html.slice(html.indexOf('id="samples"'), html.indexOf('id="retrieval"'));
    expect(samples).toContain('<span class="class-name">一</span>');
    expect([...samples.matchAll(/<img src="data:image\/png;base64,/g)]).toHaveLength(2);
    const retrieval = html.slice(html.indexOf('id="retrieval"'));
    expect(retrieval).toContain('query · grinning face');
    expect(retrieval).toContain('cat · 0.500');
    // The tiles are RGB PNGs (IHDR colour type 2).
    const uri = /src="data:image\/png;base64,([^"]+)"/.exec(retrieval)![1]!;
    expect(Buffer.from(uri, 'base64')[25]).toBe(2);
  });
});
