import { greyPngDataUri } from './encode-grey-png';
import { escapeHtml } from './escape-html';
import { formatNumber } from './metric-names';
import type { RetrievalExamples } from './report-data';
import { ReportError } from './report-error';

/**
 * Retrieval examples as HTML: one row per query, the query image then its nearest references in order, each a
 * small inline PNG (data URI) scaled up without smoothing; a neighbour of the query's class has a green frame, any
 * other a red one, and its label and divergence are written under it.
 */
export function retrievalExamplesHtml(data: RetrievalExamples): string {
  const [height, width] = data.imageShape;
  const image = (pixels: readonly number[], alt: string) => {
    if (pixels.length !== height * width) {
      throw new ReportError(
        'retrievalExamplesHtml',
        'INVALID_SHAPE',
        `expected images of ${height}×${width} = ${height * width} pixels, got ${pixels.length}`,
      );
    }
    return `<img src="${greyPngDataUri(pixels, width, height)}" width="${width}" height="${height}" alt="${escapeHtml(alt)}">`;
  };
  const rows = data.examples.map((ex) => {
    const query = `<div class="tile query">${image(ex.query.pixels, `query, class ${ex.query.label}`)}<span>query · ${escapeHtml(ex.query.label)}</span></div>`;
    const neighbours = ex.neighbours.map((nb, k) => {
      const hit = nb.label === ex.query.label;
      return `<div class="tile ${hit ? 'hit' : 'miss'}">${image(nb.pixels, `neighbour ${k + 1}, class ${nb.label}`)}<span>${escapeHtml(nb.label)} · ${escapeHtml(formatNumber(nb.divergence))}</span></div>`;
    });
    return `<div class="retrieval-row">${query}<span class="arrow">→</span>${neighbours.join('')}</div>`;
  });
  return `<p class="legend">Each row: a test query, then its nearest references under the learned divergence (label · divergence); green frame = same class, red = another class.</p>
<div class="retrieval" data-figure="retrieval-examples">
${rows.join('\n')}
</div>`;
}
