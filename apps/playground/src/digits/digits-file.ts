/** Digits as the playground ships them: one byte a pixel (0–255) and one byte a label. */
export interface Digits {
  readonly count: number;
  /** Images are side × side. */
  readonly side: number;
  readonly labels: Uint8Array;
  /** count × side × side bytes, row-major images one after another. */
  readonly pixels: Uint8Array;
}

const MAGIC = 0x47_44_42_45; // "EBDG", little-endian
const HEADER = 12;

/**
 * The compact file: a 12-byte header (magic "EBDG", count as uint32, side as uint32, little-endian), the labels, then
 * the pixels. 5,000 MNIST digits take 3.9 MB, against the `mnist` package's 41 MB of JSON.
 *
 * ```ts
 * const bytes = encodeDigits({ count: 1, side: 2, labels: Uint8Array.of(7), pixels: Uint8Array.of(0, 9, 99, 255) });
 * decodeDigits(bytes.buffer).labels[0]; // 7
 * ```
 */
export function encodeDigits(digits: Digits): Uint8Array {
  const { count, side, labels, pixels } = digits;
  if (labels.length !== count || pixels.length !== count * side * side) {
    throw new Error(
      `encodeDigits: expected ${count} labels and ${count * side * side} pixels, got ${labels.length} and ${pixels.length}`,
    );
  }
  const out = new Uint8Array(HEADER + count + pixels.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, count, true);
  view.setUint32(8, side, true);
  out.set(labels, HEADER);
  out.set(pixels, HEADER + count);
  return out;
}

/** Reads the compact file; throws on a wrong magic number or length. */
export function decodeDigits(buffer: ArrayBuffer): Digits {
  const view = new DataView(buffer);
  if (buffer.byteLength < HEADER || view.getUint32(0, true) !== MAGIC) {
    throw new Error(`decodeDigits: expected a digits file starting with "EBDG", got ${buffer.byteLength} other bytes`);
  }
  const count = view.getUint32(4, true);
  const side = view.getUint32(8, true);
  const expected = HEADER + count + count * side * side;
  if (buffer.byteLength !== expected) {
    throw new Error(
      `decodeDigits: expected ${expected} bytes for ${count} digits of ${side}², got ${buffer.byteLength}`,
    );
  }
  return {
    count,
    side,
    labels: new Uint8Array(buffer, HEADER, count),
    pixels: new Uint8Array(buffer, HEADER + count, count * side * side),
  };
}

/** Pixels in [0, 1] (as `loadMnistDigits` gives them) to bytes, rounding to the nearest 1/255. */
export function toBytes(values: ArrayLike<number>): Uint8Array {
  return Uint8Array.from(values, (v) => Math.round(Math.min(1, Math.max(0, v)) * 255));
}
