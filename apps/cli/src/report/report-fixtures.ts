import { SeededRandom } from '@empirical-bregman/common';
import type { BenchReportData, CurvePoint, RetrievalExample, RunReportData } from './report-data';

/** Test fixtures: a full run report and a bench report with made-up but plausible numbers. Not exported. */

/** k Gaussian clusters in `dim` dimensions, centres 10 apart on the axes, unit spread. */
export function gaussianClusters(
  k: number,
  perClass: number,
  dim: number,
  seed: number,
  spread = 1,
): { embeddings: Float32Array; labels: number[]; n: number } {
  const rng = new SeededRandom(seed);
  const n = k * perClass;
  const embeddings = new Float32Array(n * dim);
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = i % k;
    labels.push(c);
    for (let d = 0; d < dim; d++)
      embeddings[i * dim + d] = (d === c % dim ? 10 * (1 + Math.floor(c / dim)) : 0) + spread * rng.normal();
  }
  return { embeddings, labels, n };
}

/** A 12×12 grey image of class c: a ring (0), a bar (1) or a cross (2), with a little noise. */
function glyph(c: number, rng: SeededRandom): number[] {
  const px: number[] = [];
  for (let y = 0; y < 12; y++) {
    for (let x = 0; x < 12; x++) {
      const r = Math.hypot(x - 5.5, y - 5.5);
      const on =
        c === 0
          ? Math.abs(r - 3.5) < 1
          : c === 1
            ? Math.abs(x - 5.5) < 1.5
            : Math.abs(x - y) < 1.2 || Math.abs(x + y - 11) < 1.2;
      px.push(Math.min(1, Math.max(0, (on ? 0.9 : 0.05) + 0.1 * rng.normal())));
    }
  }
  return px;
}

export function runFixture(): RunReportData {
  const rng = new SeededRandom(7);
  const curves: CurvePoint[] = [];
  for (let epoch = 1; epoch <= 12; epoch++) {
    curves.push({ epoch, step: epoch * 50, split: 'train', metric: 'loss', value: 0.9 * Math.exp(-epoch / 4) + 0.1 });
    curves.push({
      epoch,
      step: epoch * 50,
      split: 'val',
      metric: 'mapAtR',
      value: 0.3 + 0.4 * (1 - Math.exp(-epoch / 3)),
    });
    curves.push({
      epoch,
      step: epoch * 50,
      split: 'val',
      metric: 'precisionAt1',
      value: 0.8 + 0.15 * (1 - Math.exp(-epoch / 3)),
    });
  }
  const clusters = gaussianClusters(3, 20, 4, 3);
  const order = clusters.labels.map((l, i) => [l, i] as const).sort((a, b) => a[0] - b[0]);
  const values = order.map(([, i]) =>
    order.map(([, j]) => {
      let s = 0;
      for (let d = 0; d < 4; d++) s += (clusters.embeddings[i * 4 + d] - clusters.embeddings[j * 4 + d]) ** 2;
      return s;
    }),
  );
  const xs = Array.from({ length: 21 }, (_, i) => -2 + (4 * i) / 20);
  const examples: RetrievalExample[] = [0, 1, 2].map((c) => ({
    query: { pixels: glyph(c, rng), label: c },
    neighbours: [0, 1, 2, 3, 4].map((k) => {
      const label = k === 3 ? (c + 1) % 3 : c;
      return { pixels: glyph(label, rng), label, divergence: 0.1 * (k + 1) };
    }),
  }));
  return {
    title: 'mnist · icnn · class-disjoint <quick>',
    createdAt: '2025-01-02T03:04:05.000Z',
    backend: { backend: 'wasm', tfjsVersion: '4.22.0', simd: true, threads: 1 },
    config: { dataset: 'mnist', divergence: 'icnn', epochs: 12, note: '<script>alert("x")</script>' },
    curves,
    results: [
      {
        protocol: 'class-disjoint',
        model: 'raw input',
        divergence: 'euclidean',
        metrics: { precisionAt1: 0.969, mapAtR: 0.353, nmi: 0.61 },
      },
      {
        protocol: 'class-disjoint',
        model: 'trained',
        divergence: 'icnn',
        querySlot: 'left',
        metrics: { precisionAt1: 0.97, mapAtR: 0.41, nmi: 0.7 },
      },
      {
        protocol: 'class-disjoint',
        model: 'trained',
        divergence: 'icnn',
        querySlot: 'right',
        metrics: { precisionAt1: 0.96, mapAtR: 0.4, nmi: 0.7 },
      },
      {
        protocol: 'closed-set',
        model: 'raw input',
        divergence: 'cosine',
        metrics: { precisionAt1: 0.91, mapAtR: 0.305 },
      },
      { protocol: 'closed-set', model: 'trained', divergence: 'icnn', metrics: { precisionAt1: 0.98, mapAtR: 0.8123 } },
    ],
    projection: { x: [0, 1, 2, 3], y: [0, 1, 0, 1], labels: [0, 0, 1, 1], method: 'fixture' },
    divergenceMatrix: { values, labels: order.map(([l]) => l) },
    phiSurface: { xs, ys: xs, values: xs.map((y) => xs.map((x) => x * x + 0.5 * y * y + 0.3 * x * y)) },
    retrievalExamples: { imageShape: [12, 12], examples },
    notes: ['Early stopping at epoch 9 (validation MAP@R).'],
  };
}

export function benchFixture(): BenchReportData {
  const runs: BenchReportData['runs'][number][] = [];
  const table: [string, string, string, number[]][] = [
    ['raw input', 'euclidean', 'mnist', [0.3, 0.3, 0.3]],
    ['trained', 'euclidean', 'mnist', [0.5, 0.52, 0.54]],
    ['trained', 'icnn', 'mnist', [0.8, 0.82, 0.84]],
    ['trained', 'mahalanobis', 'mnist', [0.6, 0.7, 0.65]],
  ];
  for (const [model, divergence, dataset, maps] of table) {
    maps.forEach((mapAtR, seed) => {
      runs.push({
        dataset,
        protocol: 'closed-set',
        divergence,
        seed,
        model,
        metrics: { mapAtR, precisionAt1: 0.9 + mapAtR / 10 },
      });
    });
  }
  runs.push({
    dataset: 'wine',
    protocol: 'closed-set',
    divergence: 'icnn',
    seed: 0,
    model: 'trained',
    metrics: { mapAtR: 0.7 },
  });
  return {
    title: 'bench · quick',
    createdAt: '2025-01-02T03:04:05.000Z',
    backend: { backend: 'wasm', tfjsVersion: '4.22.0', simd: true, threads: 1 },
    suite: 'quick',
    runs,
    skipped: [{ what: 'cifar10', reason: 'data not present', command: 'bregman data fetch cifar10' }],
  };
}
