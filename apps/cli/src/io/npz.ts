import * as zlib from 'node:zlib';
import { crc32 as tableCrc32 } from '@empirical-bregman/common';
import { CliError } from '../cli-error';
import { type NpyValues, encodeNpy } from './npy';

/** One array of an `.npz`: its values (row-major) and shape. */
export interface NpzArray {
  readonly values: NpyValues;
  readonly shape: readonly number[];
}

/**
 * Named arrays as NumPy `.npz` (what `np.savez` writes: a zip archive of `<name>.npy` files, stored without
 * compression), so `np.load(io.BytesIO(body))` reads an answer of several arrays in one call.
 *
 * Why stored: the arrays are a few kilobytes of float32/int32 that deflate barely shrinks, and an answer is written
 * once per request. The zip layout is PKWARE's APPNOTE 4.3: a local header before each file, then the central
 * directory, then its end record; CRC-32 of each file, sizes below 4 GiB (no zip64: a server answer never needs it).
 *
 * ```ts
 * const body = encodeNpz({ indices: { values: found.indices, shape: [nq, k] } });
 * ```
 */
export function encodeNpz(arrays: Readonly<Record<string, NpzArray>>): Uint8Array {
  const files = Object.entries(arrays).map(([name, array]) => ({
    name: new TextEncoder().encode(`${name}.npy`),
    bytes: encodeNpy(array.values, array.shape),
  }));
  const localSize = files.reduce((sum, f) => sum + LOCAL_HEADER + f.name.length + f.bytes.length, 0);
  const centralSize = files.reduce((sum, f) => sum + CENTRAL_HEADER + f.name.length, 0);
  // Without zip64 the counts are 16-bit and sizes and offsets 32-bit: refuse what would wrap around.
  const longName = files.find((f) => f.name.length > 0xffff);
  if (files.length > 0xffff || longName || localSize + centralSize > 0xffffffff)
    throw new CliError(
      'encodeNpz',
      'UNSUPPORTED',
      `expected at most 65535 arrays, names of at most 65535 bytes and 4 GiB in all (no zip64), got ${files.length} arrays${longName ? ', a longer name' : ''} and ${localSize + centralSize} bytes`,
    );
  const out = new Uint8Array(localSize + centralSize + END_RECORD);
  const view = new DataView(out.buffer);
  const offsets: number[] = [];
  const crcs: number[] = [];
  let at = 0;
  for (const file of files) {
    const crc = crc32(file.bytes);
    offsets.push(at);
    crcs.push(crc);
    view.setUint32(at, 0x04034b50, true); // local file header signature
    writeEntryFields(view, at + 4, crc, file.bytes.length, file.name.length);
    out.set(file.name, at + LOCAL_HEADER);
    out.set(file.bytes, at + LOCAL_HEADER + file.name.length);
    at += LOCAL_HEADER + file.name.length + file.bytes.length;
  }
  const centralStart = at;
  files.forEach((file, i) => {
    view.setUint32(at, 0x02014b50, true); // central directory header signature
    view.setUint16(at + 4, VERSION, true); // version made by
    writeEntryFields(view, at + 6, crcs[i]!, file.bytes.length, file.name.length);
    // file comment length, disk number start, internal and external attributes: all 0 (from at + 32)
    view.setUint32(at + 42, offsets[i]!, true);
    out.set(file.name, at + CENTRAL_HEADER);
    at += CENTRAL_HEADER + file.name.length;
  });
  view.setUint32(at, 0x06054b50, true); // end of central directory signature
  // disk numbers 0; entries on this disk and in total; central directory size and offset; no comment
  view.setUint16(at + 8, files.length, true);
  view.setUint16(at + 10, files.length, true);
  view.setUint32(at + 12, at - centralStart, true);
  view.setUint32(at + 16, centralStart, true);
  return out;
}

/** zlib's CRC-32 where Node has it (≥ 20.15: a few µs for a search answer, where the table loop takes ~20), else common's. */
const crc32: (bytes: Uint8Array) => number =
  typeof (zlib as { crc32?: unknown }).crc32 === 'function'
    ? (bytes) => (zlib as unknown as { crc32: (data: Uint8Array) => number }).crc32(bytes)
    : (bytes) => tableCrc32(bytes);

const LOCAL_HEADER = 30;
const CENTRAL_HEADER = 46;
const END_RECORD = 22;
/** General-purpose flag bit 11: the names are UTF-8 (else readers such as Python's zipfile decode them as cp437). */
const UTF8_NAMES = 0x0800;
/** Zip 2.0: what a stored file needs. */
const VERSION = 20;
/** 1980-01-01 in MS-DOS date format (year − 1980 << 9 | month << 5 | day), the earliest date zip can hold. */
const DOS_DATE_1980 = (1 << 5) | 1;

/** The fields local and central headers share, from "version needed": flags, method, time, date, CRC, sizes, name. */
function writeEntryFields(view: DataView, at: number, crc: number, size: number, nameLength: number): void {
  view.setUint16(at, VERSION, true); // version needed to extract
  view.setUint16(at + 2, UTF8_NAMES, true); // flags
  view.setUint16(at + 4, 0, true); // compression: stored
  view.setUint16(at + 6, 0, true); // time 00:00:00
  view.setUint16(at + 8, DOS_DATE_1980, true);
  view.setUint32(at + 10, crc, true);
  view.setUint32(at + 14, size, true); // compressed size
  view.setUint32(at + 18, size, true); // uncompressed size
  view.setUint16(at + 22, nameLength, true);
  view.setUint16(at + 24, 0, true); // extra field length
}
