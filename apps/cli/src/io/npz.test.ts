import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from '@empirical-bregman/common';
import { parseNpy } from '@empirical-bregman/datasets';
import { loadDataFiles, parseNpz } from '@empirical-bregman/datasets/node';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeNpy } from './npy';
import { encodeNpz } from './npz';

const dir = mkdtempSync(join(tmpdir(), 'eb-npz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('encodeNpz', () => {
  const x = Float32Array.from([0.5, -1.25, 3, 1e-7, 2, 4]);
  const y = Int32Array.from([7, -2]);
  const bytes = encodeNpz({ x: { values: x, shape: [2, 3] }, y: { values: y, shape: [2] } });

  it('is read back by the datasets package’s .npz readers (zip directory, CRC-32, .npy headers)', async () => {
    const arrays = parseNpz(bytes, 'pair.npz');
    expect([...arrays.keys()]).toEqual(['x', 'y']);
    expect(arrays.get('x')).toMatchObject({ dtype: 'float32', shape: [2, 3], data: x });
    expect(arrays.get('y')).toMatchObject({ dtype: 'int32', shape: [2], data: y });
    // As a training file: features x, labels y.
    const path = join(dir, 'pair.npz');
    writeFileSync(path, bytes);
    const loaded = await loadDataFiles(path);
    expect(Array.from(loaded.features)).toEqual(Array.from(x));
    expect(loaded.classNames).toEqual(['-2', '7']);
  });

  it('lays out the zip as APPNOTE 4.3 says: stored entries, a central directory and its end record', () => {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const end = bytes.length - 22;
    expect(view.getUint32(end, true)).toBe(0x06054b50);
    expect(view.getUint16(end + 10, true)).toBe(2);
    const centralStart = view.getUint32(end + 16, true);
    expect(centralStart + view.getUint32(end + 12, true)).toBe(end);
    // Each central entry points at its local header; the stored bytes are the .npy file, with its CRC-32.
    const names: string[] = [];
    for (let at = centralStart; at < end; ) {
      expect(view.getUint32(at, true)).toBe(0x02014b50);
      expect(view.getUint16(at + 10, true)).toBe(0); // stored
      const size = view.getUint32(at + 20, true);
      expect(view.getUint32(at + 24, true)).toBe(size);
      const nameLength = view.getUint16(at + 28, true);
      const name = new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + nameLength));
      names.push(name);
      const local = view.getUint32(at + 42, true);
      expect(view.getUint32(local, true)).toBe(0x04034b50);
      const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
      const file = bytes.subarray(start, start + size);
      expect(crc32(file)).toBe(view.getUint32(at + 16, true));
      expect(crc32(file)).toBe(view.getUint32(local + 14, true));
      const array = parseNpy(file, name);
      expect(Array.from(array.data as ArrayLike<number>)).toEqual(Array.from(name === 'x.npy' ? x : y));
      at += 46 + nameLength;
    }
    expect(names).toEqual(['x.npy', 'y.npy']);
    // Names flagged UTF-8 (general-purpose bit 11), in the local and the central headers.
    expect(view.getUint16(6, true)).toBe(0x0800);
    expect(view.getUint16(centralStart + 8, true)).toBe(0x0800);
  });

  it('a changed byte is refused by the reader (the CRC is the one it checks)', () => {
    const broken = bytes.slice();
    broken[30 + 'x.npy'.length + 128] ^= 0xff; // the first feature value of x
    expect(() => parseNpz(broken, 'broken.npz')).toThrow(/CRC/);
  });

  it('keeps a non-ASCII name as Python reads it, and refuses what zip without zip64 cannot hold', () => {
    const named = parseNpz(encodeNpz({ résumé: { values: Int32Array.of(1), shape: [1] } }), 'n.npz');
    expect([...named.keys()]).toEqual(['résumé']);
    const many = Object.fromEntries(
      Array.from({ length: 65536 }, (_, i) => [`a${i}`, { values: new Int32Array(0), shape: [0] }]),
    );
    expect(() => encodeNpz(many)).toThrow('encodeNpz: expected at most 65535 arrays');
  });
});

describe('encodeNpy', () => {
  it('writes int32 as <i4 and float32 as <f4, any rank, and refuses a shape that does not hold the values', () => {
    const ints = parseNpy(encodeNpy(Int32Array.from([1, -2, 3]), [3]), 'i');
    expect(ints.dtype).toBe('int32');
    expect(ints.shape).toEqual([3]);
    expect(Array.from(ints.data as Int32Array)).toEqual([1, -2, 3]);
    const cube = parseNpy(encodeNpy(new Float32Array(8).fill(0.25), [2, 2, 2]), 'f');
    expect(cube.shape).toEqual([2, 2, 2]);
    expect(() => encodeNpy(new Float32Array(5), [2, 3])).toThrow('expected 6 values for shape (2, 3), got 5');
  });
});
