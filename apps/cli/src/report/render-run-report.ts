import { describeBackend } from './describe-backend';
import { divergenceMatrixSpec } from './divergence-matrix-spec';
import { escapeHtml } from './escape-html';
import { chartFigure, htmlDocument, htmlTable, keyValueList, section } from './html-page';
import { reliabilitySpec, riskCoverageSpec } from './calibration-specs';
import { learningCurveSpec } from './learning-curve-spec';
import { phiSurfaceSpec } from './phi-surface-spec';
import { projectionSpec } from './projection-spec';
import type { RunReportData } from './report-data';
import { formatNumber } from './metric-names';
import { buildResultsTables } from './results-tables';
import { retrievalExamplesHtml } from './retrieval-examples-html';
import { sampleTilesHtml } from './sample-tiles-html';
import { renderVegaLiteSvg } from './render-vega-lite-svg';

/** The backend and configuration section, shared by run and bench reports. */
export function backendSection(data: Pick<RunReportData, 'backend' | 'createdAt'>, extra: [string, string][] = []) {
  const b = data.backend;
  const native = b.native ?? null;
  return keyValueList([
    ['backend', b.backend],
    ['tfjs', b.tfjsVersion],
    ['SIMD', b.simd === null ? 'n/a' : b.simd ? 'on' : 'off'],
    ['threads', b.threads === null ? 'n/a' : String(b.threads)],
    ...(native === null ? [] : [['native BLAS', native] as [string, string]]),
    ['created', data.createdAt],
    ...extra,
  ]);
}

/**
 * `report.html` of one run: a self-contained page (inline CSS, charts as inline SVG rendered in Node from
 * Vega-Lite specs, images as PNG data URIs, no script, no network) with the results table, learning curves, the
 * 2-D projection of test embeddings by class, the divergence matrix sorted by class, the learned φ of a 2-D toy run,
 * retrieval examples, and the backend and configuration. A part whose data is absent is left out. Every chart sits
 * in an element with a `data-chart` attribute ('train-curve', 'validation-curve', 'projection',
 * 'divergence-matrix', 'phi-surface').
 *
 * ```ts
 * await writeFile(join(runDir, 'report.html'), await renderRunReport(data));
 * ```
 */
export async function renderRunReport(data: RunReportData): Promise<string> {
  const parts: string[] = [
    `<h1>${escapeHtml(data.title)}</h1>`,
    `<p class="meta">${escapeHtml(`${data.createdAt} · backend ${describeBackend(data.backend)}`)}</p>`,
  ];

  const tables = buildResultsTables(data.results).map((table) => htmlTable(table));
  const notes =
    data.notes && data.notes.length > 0
      ? `<ul class="notes">${data.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul>`
      : '';
  parts.push(section('results', 'Results', `${tables.join('\n') || '<p>No results.</p>'}${notes}`));

  const curveFigures: string[] = [];
  for (const [split, name] of [
    ['train', 'train-curve'],
    ['val', 'validation-curve'],
  ] as const) {
    const spec = learningCurveSpec(data.curves, split);
    if (spec) curveFigures.push(chartFigure(name, await renderVegaLiteSvg(spec)));
  }
  if (curveFigures.length > 0) {
    parts.push(section('curves', 'Learning curves', `<div class="charts">${curveFigures.join('')}</div>`));
  }

  const geometry: string[] = [];
  if (data.projection && data.projection.x.length > 0) {
    geometry.push(
      chartFigure(
        'projection',
        await renderVegaLiteSvg(projectionSpec(data.projection)),
        `Test embeddings in 2-D, coloured by class. ${data.projection.method}`,
      ),
    );
  }
  if (data.divergenceMatrix && data.divergenceMatrix.labels.length > 0) {
    geometry.push(
      chartFigure(
        'divergence-matrix',
        await renderVegaLiteSvg(divergenceMatrixSpec(data.divergenceMatrix)),
        `Divergence matrix of ${data.divergenceMatrix.labels.length} test samples sorted by class ` +
          '(row = left slot); dark = small divergence. Dark blocks on the diagonal mean classes are tight.',
      ),
    );
  }
  if (geometry.length > 0) {
    parts.push(section('embeddings', 'Embedding geometry', `<div class="charts">${geometry.join('')}</div>`));
  }

  if (data.calibration && data.calibration.riskCoverage.length > 0) {
    parts.push(
      section(
        'calibration',
        'Class probabilities',
        `<div class="charts">${chartFigure(
          'reliability',
          await renderVegaLiteSvg(reliabilitySpec(data.calibration)),
          'p(c | x) ∝ π_c · exp(−D(z, μ_c) / τ), τ fitted on validation; points on the diagonal are calibrated.',
        )}${chartFigure(
          'risk-coverage',
          await renderVegaLiteSvg(riskCoverageSpec(data.calibration)),
          'Error rate when only the most confident fraction of the test items is answered.',
        )}</div>`,
      ),
    );
  }

  const unseen = data.unseenClasses;
  if (unseen && unseen.scores.length > 0) {
    const what: Record<string, string> = {
      minDivergence: 'min D(z, μ_c) to a training class centroid',
      maxPosterior: 'max p(c | x), centroid posterior (low = unseen)',
      energy: '−τ log Σ_c exp(−D(z, μ_c)/τ)',
      knn: 'D to the 10th nearest training item',
    };
    parts.push(
      section(
        'unseen-classes',
        'Unseen-class detection',
        htmlTable({
          caption: `${unseen.unseenItems} items of the unseen test classes against ${unseen.seenItems} held-out items of the training classes (τ = ${unseen.temperature.toPrecision(3)}, fitted on the other held-out half). AUROC: 1 separates perfectly, 0.5 is chance; FPR95: the share of unseen items taken for seen when 95% of the seen ones are kept (lower is better).`,
          columns: [
            { label: 'score', align: 'left' },
            { label: 'AUROC', align: 'right' },
            { label: 'FPR95', align: 'right' },
          ],
          rows: unseen.scores.map((s) => [what[s.score] ?? s.score, formatNumber(s.auroc), formatNumber(s.fprAtTpr95)]),
        }),
      ),
    );
  }

  const phi = data.phiSurface;
  if (phi && phi.xs.length > 0 && phi.ys.length > 0) {
    parts.push(
      section(
        'phi',
        'Learned generator φ',
        chartFigure(
          'phi-surface',
          await renderVegaLiteSvg(phiSurfaceSpec(phi)),
          'φ on a grid of the input plane; colour bands are level sets. A Bregman generator is convex, so bands are nested and convex.',
        ),
      ),
    );
  }

  if (data.samples && data.samples.classes.length > 0) {
    parts.push(section('samples', 'Training samples', sampleTilesHtml(data.samples)));
  }
  if (data.retrievalExamples && data.retrievalExamples.examples.length > 0) {
    parts.push(section('retrieval', 'Retrieval examples', retrievalExamplesHtml(data.retrievalExamples)));
  }

  parts.push(
    section(
      'run',
      'Backend and configuration',
      `${backendSection(data)}<h3>Configuration</h3><pre>${escapeHtml(JSON.stringify(data.config, null, 2))}</pre>`,
    ),
  );
  return htmlDocument(data.title, parts.join('\n'));
}
