import { escapeHtml } from './escape-html';
import { imageTag } from './image-tag';
import type { SampleTiles } from './report-data';

/** Training samples as HTML: one row per class, its name then its images as inline PNG tiles. */
export function sampleTilesHtml(data: SampleTiles): string {
  const [height, width] = data.imageShape;
  const rows = data.classes.map((c) => {
    const tiles = c.images.map(
      (pixels, i) =>
        `<div class="tile">${imageTag('sampleTilesHtml', pixels, height, width, data.channels, `${c.name}, sample ${i + 1}`)}</div>`,
    );
    return `<div class="retrieval-row"><span class="class-name">${escapeHtml(c.name)}</span>${tiles.join('')}</div>`;
  });
  return `<div class="retrieval" data-figure="samples">\n${rows.join('\n')}\n</div>`;
}
