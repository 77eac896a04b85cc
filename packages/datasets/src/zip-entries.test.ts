import { describe, expect, it } from 'vitest';
import { zipBytes } from './testing/zip-bytes';
import { zipEntries } from './zip-entries';

const a = new TextEncoder().encode('first entry, long enough to deflate: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa');
const b = new Uint8Array([0, 1, 2, 3, 250]);

function read(bytes: Uint8Array): Record<string, number[]> {
  return Object.fromEntries(zipEntries(bytes, 'd.npz').map((e) => [e.name, Array.from(e.read())]));
}

describe('zipEntries', () => {
  it('reads stored and deflated entries, also with the zip64 local headers numpy writes', () => {
    const expected = { 'a.npy': Array.from(a), 'b.npy': Array.from(b) };
    const files = [
      { name: 'a.npy', data: a },
      { name: 'b.npy', data: b },
    ];
    expect(read(zipBytes(files))).toEqual(expected);
    expect(read(zipBytes(files, { deflate: true }))).toEqual(expected);
    expect(read(zipBytes(files, { deflate: true, zip64Local: true }))).toEqual(expected);
  });

  it('finds a corrupted stored entry by its CRC-32 and a corrupted deflated one by inflating', () => {
    const stored = zipBytes([{ name: 'a.npy', data: a }]);
    stored[30 + 'a.npy'.length + 3] ^= 1;
    expect(() => zipEntries(stored, 'd.npz')[0].read()).toThrow(/d\.npz: a\.npy: expected CRC-32 .* \(corrupt entry\)/);
    const deflated = zipBytes([{ name: 'a.npy', data: a }], { deflate: true });
    deflated.fill(0xff, 30 + 'a.npy'.length, 30 + 'a.npy'.length + 6);
    expect(() => zipEntries(deflated, 'd.npz')[0].read()).toThrow(expect.objectContaining({ code: 'BAD_FORMAT' }));
  });

  it('refuses what is not a zip, a truncated archive and encrypted entries', () => {
    expect(() => zipEntries(new Uint8Array(100), 'd.npz')).toThrow(/d\.npz: expected a zip archive/);
    const whole = zipBytes([{ name: 'a.npy', data: a }]);
    expect(() => zipEntries(whole.subarray(10), 'd.npz')).toThrow(expect.objectContaining({ code: 'BAD_FORMAT' }));
    const encrypted = zipBytes([{ name: 'a.npy', data: a }]);
    const central = encrypted.length - 22 - (46 + 'a.npy'.length);
    encrypted[central + 8] |= 1;
    expect(() => zipEntries(encrypted, 'd.npz')).toThrow(/expected an unencrypted entry/);
  });
});
