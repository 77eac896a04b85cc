import { escapeHtml } from './escape-html';
import { imageTag } from './image-tag';
import { formatNumber } from './metric-names';
import type { RetrievalExamples } from './report-data';

/**
 * Retrieval examples as HTML: one row per query, the query image then its nearest references in order, each a
 * small inline PNG (data URI) scaled up without smoothing; a neighbour of the query's class has a green frame, any
 * other a red one, and its label and divergence are written under it.
 */
export function retrievalExamplesHtml(data: RetrievalExamples): string {
  const [height, width] = data.imageShape;
  const channels = data.channels ?? 1;
  const name = (label: number) => data.classNames?.[label] ?? String(label);
  const image = (pixels: readonly number[], alt: string) =>
    imageTag('retrievalExamplesHtml', pixels, height, width, channels, alt);
  const rows = data.examples.map((ex) => {
    const query = `<div class="tile query">${image(ex.query.pixels, `query, class ${name(ex.query.label)}`)}<span>query · ${escapeHtml(name(ex.query.label))}</span></div>`;
    const neighbours = ex.neighbours.map((nb, k) => {
      const hit = nb.label === ex.query.label;
      return `<div class="tile ${hit ? 'hit' : 'miss'}">${image(nb.pixels, `neighbour ${k + 1}, class ${name(nb.label)}`)}<span>${escapeHtml(name(nb.label))} · ${escapeHtml(formatNumber(nb.divergence))}</span></div>`;
    });
    return `<div class="retrieval-row">${query}<span class="arrow">→</span>${neighbours.join('')}</div>`;
  });
  return `<p class="legend">Each row: a test query, then its nearest references under the learned divergence (label · divergence); green frame = same class, red = another class.</p>
<div class="retrieval" data-figure="retrieval-examples">
${rows.join('\n')}
</div>`;
}
