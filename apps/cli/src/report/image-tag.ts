import { pngDataUri } from './encode-png';
import { escapeHtml } from './escape-html';
import { ReportError } from './report-error';

/**
 * An `<img>` of one dataset image (values in [0, 1], row-major, channels interleaved) as an inline PNG data URI at
 * its own size; the page's CSS scales tiles up without smoothing. `component` names the caller in a size error.
 */
export function imageTag(
  component: string,
  pixels: readonly number[],
  height: number,
  width: number,
  channels: 1 | 3,
  alt: string,
): string {
  if (pixels.length !== height * width * channels) {
    throw new ReportError(
      component,
      'INVALID_SHAPE',
      `expected images of ${height}×${width}${channels === 3 ? '×3' : ''} = ${height * width * channels} values, got ${pixels.length}`,
    );
  }
  return `<img src="${pngDataUri(pixels, width, height, channels)}" width="${width}" height="${height}" alt="${escapeHtml(alt)}">`;
}
