import { describe, expect, it } from 'vitest';
import type { RunReportData } from './report-data';
import { renderResultsMarkdown } from './render-results-markdown';

const base: RunReportData = {
  title: 'mnist · icnn',
  createdAt: '2025-01-02T03:04:05.000Z',
  backend: { backend: 'wasm', tfjsVersion: '4.22.0', simd: true, threads: 1 },
  config: {},
  curves: [],
  results: [],
};

describe('renderResultsMarkdown', () => {
  it('writes one table per protocol with a Query column only where a row has one', () => {
    const md = renderResultsMarkdown({
      ...base,
      results: [
        {
          protocol: 'class-disjoint',
          model: 'raw input',
          divergence: 'euclidean',
          metrics: { mapAtR: 0.353, precisionAt1: 0.969 },
        },
        {
          protocol: 'class-disjoint',
          model: 'trained',
          divergence: 'icnn',
          querySlot: 'left',
          metrics: { precisionAt1: 0.97, mapAtR: 0.41, recallAt2: 0.99, nmi: 0.7 },
        },
        {
          protocol: 'closed-set',
          model: 'trained',
          divergence: 'cosine',
          metrics: { mapAtR: 0.81234, custom: 12345678 },
        },
      ],
      notes: ['stopped early'],
    });
    expect(md).toBe(
      [
        '# mnist · icnn',
        '',
        'Backend: wasm · tfjs 4.22.0 · SIMD on · 1 thread · 2025-01-02T03:04:05.000Z',
        '',
        '### class-disjoint',
        '',
        '| Model | Divergence | Query | P@1 | MAP@R | R@2 | NMI |',
        '| :--- | :--- | :--- | ---: | ---: | ---: | ---: |',
        '| raw input | euclidean |  | 0.969 | 0.353 | — | — |',
        '| trained | icnn | left | 0.970 | 0.410 | 0.990 | 0.700 |',
        '',
        '### closed-set',
        '',
        '| Model | Divergence | MAP@R | custom |',
        '| :--- | :--- | ---: | ---: |',
        '| trained | cosine | 0.812 | 1.23e+7 |',
        '',
        '- stopped early',
        '',
      ].join('\n'),
    );
  });

  it('escapes pipes in cells and says so when there are no results', () => {
    const md = renderResultsMarkdown({
      ...base,
      results: [{ protocol: 'p', model: 'a|b', divergence: 'd', metrics: { mapAtR: Number.NaN } }],
    });
    expect(md).toContain('| a\\|b | d | — |');
    expect(renderResultsMarkdown(base)).toContain('_No results._');
  });
});
