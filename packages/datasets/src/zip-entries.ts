import { inflateRawSync } from 'node:zlib';
import { crc32 } from '@empirical-bregman/common';
import { causeText, DatasetError } from './dataset-error';

/** One file in a zip archive; `read()` inflates it and checks its size and CRC-32. */
export interface ZipEntry {
  readonly name: string;
  read(): Uint8Array;
}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

/**
 * The entries of a zip archive held in memory (what `np.savez` and `np.savez_compressed` write), read from its central
 * directory: stored and deflated entries, zip64 sizes and offsets (numpy forces zip64 headers on every array).
 * Sizes come from the central directory, never from local headers (numpy's local headers hold 0xFFFFFFFF).
 * Encrypted entries, other compression methods and split archives are refused; every problem is a `BAD_FORMAT`
 * {@link DatasetError} naming `source` (and the entry).
 *
 * Why not a zip library: reading an in-memory archive takes this page of code and node's zlib, and checking the
 * CRC-32 here catches a corrupted *stored* entry, which inflating alone cannot.
 */
export function zipEntries(bytes: Uint8Array, source: string, component = 'zipEntries'): ZipEntry[] {
  const fail = (message: string): never => {
    throw new DatasetError(component, 'BAD_FORMAT', `${source}: ${message}`);
  };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u16 = (at: number) => view.getUint16(at, true);
  const u32 = (at: number) => view.getUint32(at, true);
  const u64 = (at: number) => {
    const v = view.getBigUint64(at, true);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) fail(`expected zip64 sizes below 2^53, got ${v}`);
    return Number(v);
  };
  const inside = (at: number, length: number, what: string) => {
    if (at < 0 || at + length > bytes.length)
      fail(`expected ${what} within the file's ${bytes.length} bytes, got it past the end (truncated archive)`);
  };

  // The end-of-central-directory record: 22 bytes plus a comment of up to 65,535 bytes, at the very end.
  let eocd = -1;
  for (let at = bytes.length - 22; at >= 0 && at >= bytes.length - 22 - 0xffff; at--) {
    if (u32(at) === EOCD && at + 22 + u16(at + 20) === bytes.length) {
      eocd = at;
      break;
    }
  }
  if (eocd < 0) fail('expected a zip archive (an end-of-central-directory record), got none (not a zip, or truncated)');
  if (u16(eocd + 4) !== 0 || u16(eocd + 6) !== 0) fail('expected a single-file archive, got a split (multi-disk) one');
  let count = u16(eocd + 10);
  let offset = u32(eocd + 16);
  if (count === 0xffff || offset === 0xffffffff) {
    const locator = eocd - 20;
    if (locator < 0 || u32(locator) !== ZIP64_LOCATOR) fail('expected a zip64 locator before the end record, got none');
    const record = u64(locator + 8);
    inside(record, 56, 'the zip64 end record');
    if (u32(record) !== ZIP64_EOCD) fail(`expected a zip64 end record at byte ${record}, got none`);
    count = u64(record + 32);
    offset = u64(record + 48);
  }

  const entries: ZipEntry[] = [];
  const names = new Set<string>();
  let at = offset;
  for (let e = 0; e < count; e++) {
    inside(at, 46, `central directory entry ${e + 1}`);
    if (u32(at) !== CENTRAL)
      fail(`expected central directory entry ${e + 1} at byte ${at}, got none (corrupt archive)`);
    const flags = u16(at + 8);
    const method = u16(at + 10);
    const crc = u32(at + 16);
    let packed = u32(at + 20);
    let size = u32(at + 24);
    const nameLength = u16(at + 28);
    const extraLength = u16(at + 30);
    const commentLength = u16(at + 32);
    let local = u32(at + 42);
    inside(at + 46, nameLength + extraLength, `the name of central directory entry ${e + 1}`);
    const name = new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + nameLength));
    // zip64 extra field (id 1): 8-byte values, in this order, for exactly the fields that read 0xFFFFFFFF.
    for (let x = at + 46 + nameLength; x + 4 <= at + 46 + nameLength + extraLength; x += 4 + u16(x + 2)) {
      if (u16(x) !== 1) continue;
      let v = x + 4;
      const next = () => {
        inside(v, 8, `the zip64 field of ${JSON.stringify(name)}`);
        v += 8;
        return u64(v - 8);
      };
      if (size === 0xffffffff) size = next();
      if (packed === 0xffffffff) packed = next();
      if (local === 0xffffffff) local = next();
    }
    at += 46 + nameLength + extraLength + commentLength;
    if (name.endsWith('/')) continue;
    if (names.has(name)) fail(`expected distinct entry names, got ${JSON.stringify(name)} twice`);
    names.add(name);
    if (flags & 1) fail(`${name}: expected an unencrypted entry, got an encrypted one`);
    if (method !== 0 && method !== 8)
      fail(`${name}: expected a stored or deflated entry, got compression method ${method}`);
    entries.push({
      name,
      read() {
        inside(local, 30, `the local header of ${name}`);
        if (u32(local) !== LOCAL) fail(`${name}: expected a local header at byte ${local}, got none (corrupt archive)`);
        const start = local + 30 + u16(local + 26) + u16(local + 28);
        inside(start, packed, `the ${packed} bytes of ${name}`);
        const raw = bytes.subarray(start, start + packed);
        let data: Uint8Array = raw;
        if (method === 8) {
          try {
            // The bound keeps a hostile archive from inflating past the size it declares.
            data = inflateRawSync(raw, { maxOutputLength: Math.max(size, 1) });
          } catch (cause) {
            throw new DatasetError(
              component,
              'BAD_FORMAT',
              `${source}: ${name}: expected a complete deflate stream of ${size} bytes, got a corrupt one (${causeText(cause)})`,
              { cause },
            );
          }
        }
        if (data.length !== size) fail(`${name}: expected ${size} bytes, got ${data.length} (corrupt entry)`);
        if (crc32(data) !== crc)
          fail(`${name}: expected CRC-32 ${crc.toString(16)}, got ${crc32(data).toString(16)} (corrupt entry)`);
        return data;
      },
    });
  }
  return entries;
}
