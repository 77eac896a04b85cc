import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { crc32 } from '@empirical-bregman/common';
import { encodePng, pngDataUri } from './encode-png';

interface Chunk {
  type: string;
  data: Uint8Array;
  crc: number;
  crcInput: Uint8Array;
}

/** Splits a PNG into its chunks (test-side parser, written from the PNG specification). */
function chunks(png: Uint8Array): Chunk[] {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const out: Chunk[] = [];
  let offset = 8;
  while (offset < png.length) {
    const length = view.getUint32(offset);
    const type = String.fromCharCode(...png.subarray(offset + 4, offset + 8));
    out.push({
      type,
      data: png.subarray(offset + 8, offset + 8 + length),
      crc: view.getUint32(offset + 8 + length),
      crcInput: png.subarray(offset + 4, offset + 8 + length),
    });
    offset += 12 + length;
  }
  return out;
}

describe('crc32', () => {
  it('gives the standard check value 0xCBF43926 for "123456789"', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  });

  it('gives 0xAE426082 for the IEND chunk type, as in every PNG', () => {
    expect(crc32(new TextEncoder().encode('IEND'))).toBe(0xae426082);
  });
});

describe('encodePng', () => {
  it('round-trips pixels through IHDR + inflated IDAT', () => {
    // 3 wide × 2 high; values clamp to [0, 1], round(255·v), non-finite → 0.
    const pixels = [0, 0.5, 1, -1, 2, Number.NaN];
    const png = encodePng(pixels, 3, 2);
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const list = chunks(png);
    expect(list.map((c) => c.type)).toEqual(['IHDR', 'IDAT', 'IEND']);
    for (const c of list) expect(c.crc).toBe(crc32(c.crcInput));
    const ihdr = new DataView(list[0].data.buffer, list[0].data.byteOffset, 13);
    expect([ihdr.getUint32(0), ihdr.getUint32(4)]).toEqual([3, 2]);
    expect([...list[0].data.subarray(8)]).toEqual([8, 0, 0, 0, 0]);
    const raw = inflateSync(list[1].data);
    // Each scanline: filter byte 0, then the pixels.
    expect([...raw]).toEqual([0, 0, 128, 255, 0, 0, 255, 0]);
    expect(list[2].data.length).toBe(0);
  });

  it('writes RGB (colour type 2) with the channels interleaved per pixel', () => {
    // 2 wide × 1 high: red, then mid-grey.
    const png = encodePng([1, 0, 0, 0.5, 0.5, 0.5], 2, 1, 3);
    const list = chunks(png);
    expect([...list[0].data.subarray(8)]).toEqual([8, 2, 0, 0, 0]);
    expect([...inflateSync(list[1].data)]).toEqual([0, 255, 0, 0, 128, 128, 128]);
    expect(() => encodePng([1, 0, 0], 2, 1, 3)).toThrow(/expected 2×1×3 = 6 values, got 3/);
  });

  it('makes a base64 data URI', () => {
    const uri = pngDataUri([1], 1, 1);
    expect(uri.startsWith('data:image/png;base64,')).toBe(true);
    const bytes = Buffer.from(uri.slice('data:image/png;base64,'.length), 'base64');
    expect([...bytes.subarray(1, 4)]).toEqual([0x50, 0x4e, 0x47]);
  });

  it('rejects a pixel count that does not match the size', () => {
    expect(() => encodePng([0, 1, 0], 2, 2)).toThrow(/expected 2×2 = 4 values, got 3/);
    expect(() => encodePng([], 0, 2)).toThrow(/positive integer width and height/);
  });
});
