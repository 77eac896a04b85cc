import { deflateSync } from 'node:zlib';
import { crc32 } from '@empirical-bregman/common';
import { ReportError } from './report-error';

const SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);

function chunk(type: string, data: Uint8Array): Uint8Array {
  // length (4) | type (4) | data | CRC-32 over type and data (4)
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out, 4, 8 + data.length));
  return out;
}

/**
 * Encodes an image as an 8-bit PNG: greyscale (colour type 0) for `channels` 1, RGB (colour type 2) for 3; no
 * interlace, filter 0 on every scanline, IDAT compressed with zlib deflate. Pixel values are in [0, 1], row-major,
 * channels interleaved (HWC, as the datasets store images); each becomes round(255·clamp(v, 0, 1)), a non-finite value
 * becomes 0 (black).
 *
 * ```ts
 * const png = encodePng([0, 1, 1, 0], 2, 2); // a 2×2 grey checkerboard
 * const red = encodePng([1, 0, 0], 1, 1, 3); // one red pixel
 * ```
 */
export function encodePng(pixels: ArrayLike<number>, width: number, height: number, channels: 1 | 3 = 1): Uint8Array {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new ReportError(
      'encodePng',
      'INVALID_ARGUMENT',
      `expected a positive integer width and height, got ${width}×${height}`,
    );
  }
  if (channels !== 1 && channels !== 3)
    throw new ReportError('encodePng', 'INVALID_ARGUMENT', `expected 1 or 3 channels, got ${channels}`);
  const values = width * height * channels;
  if (pixels.length !== values) {
    throw new ReportError(
      'encodePng',
      'INVALID_SHAPE',
      `expected ${width}×${height}${channels === 3 ? '×3' : ''} = ${values} values, got ${pixels.length}`,
    );
  }
  const line = width * channels;
  const raw = new Uint8Array(height * (line + 1));
  for (let y = 0; y < height; y++) {
    const row = y * (line + 1);
    raw[row] = 0; // filter type None
    for (let x = 0; x < line; x++) {
      const v = pixels[y * line + x];
      raw[row + 1 + x] = Number.isFinite(v) ? Math.round(255 * Math.min(1, Math.max(0, v))) : 0;
    }
  }
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  header[8] = 8; // bit depth
  header[9] = channels === 3 ? 2 : 0; // colour type: RGB or greyscale
  header[10] = 0; // compression: deflate
  header[11] = 0; // filter method 0
  header[12] = 0; // no interlace
  const parts = [SIGNATURE, chunk('IHDR', header), chunk('IDAT', deflateSync(raw)), chunk('IEND', new Uint8Array(0))];
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/** {@link encodePng} as a `data:image/png;base64,…` URI for an `<img src>`. */
export function pngDataUri(pixels: ArrayLike<number>, width: number, height: number, channels: 1 | 3 = 1): string {
  return `data:image/png;base64,${Buffer.from(encodePng(pixels, width, height, channels)).toString('base64')}`;
}
