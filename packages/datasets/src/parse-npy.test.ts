import { describe, expect, it } from 'vitest';
import { parseNpy } from './parse-npy';
import { npyBytes } from './testing/npy-bytes';

function badFormat(bytes: Uint8Array, problem: RegExp): void {
  expect(() => parseNpy(bytes, 'a.npy')).toThrow(
    expect.objectContaining({ code: 'BAD_FORMAT', message: expect.stringMatching(problem) }),
  );
}

describe('parseNpy', () => {
  it('reads float32, float64 and uint8 in C order with their shapes', () => {
    const f4 = parseNpy(npyBytes('<f4', [2, 3], [1, 2, 3, 4, 5, 6.5]), 'f4.npy');
    expect(f4.dtype).toBe('float32');
    expect(f4.shape).toEqual([2, 3]);
    expect(Array.from(f4.data as Float32Array)).toEqual([1, 2, 3, 4, 5, 6.5]);
    const f8 = parseNpy(npyBytes('<f8', [2], [0.1, -2]));
    expect(Array.from(f8.data as Float64Array)).toEqual([0.1, -2]);
    const u1 = parseNpy(npyBytes('|u1', [1, 2, 2], [0, 255, 7, 8]));
    expect(u1.shape).toEqual([1, 2, 2]);
    expect(Array.from(u1.data as Uint8Array)).toEqual([0, 255, 7, 8]);
  });

  it('reads big-endian values, format version 2 and 64-bit integers exactly', () => {
    const be = parseNpy(npyBytes('>f4', [2], [1.5, -3], { version: 2 }));
    expect(Array.from(be.data as Float32Array)).toEqual([1.5, -3]);
    const i8 = parseNpy(npyBytes('<i8', [2], [2n ** 60n, -5n]));
    expect(i8.dtype).toBe('int64');
    expect(Array.from(i8.data as BigInt64Array)).toEqual([2n ** 60n, -5n]);
  });

  it('returns Fortran-order arrays in C order', () => {
    // The 2 × 3 matrix [[1, 2, 3], [4, 5, 6]] stored column by column.
    const a = parseNpy(npyBytes('<f8', [2, 3], [1, 4, 2, 5, 3, 6], { fortranOrder: true }));
    expect(Array.from(a.data as Float64Array)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('reads unicode strings without their padding', () => {
    const s = parseNpy(npyBytes('<U5', [3], ['cat', 'horse', 'é']));
    expect(s.dtype).toBe('str');
    expect(s.data).toEqual(['cat', 'horse', 'é']);
  });

  it('refuses a wrong magic, a truncated header or data, extra bytes and unsupported dtypes, naming the file', () => {
    badFormat(new TextEncoder().encode('x,y\n1,2\n'), /a\.npy: expected a \.npy file starting with 93 4e/);
    const good = npyBytes('<f4', [2, 2], [1, 2, 3, 4]);
    badFormat(good.subarray(0, 20), /truncated header/);
    badFormat(good.subarray(0, good.length - 1), /expected 16 data bytes .* got 15 \(truncated file\)/);
    const longer = new Uint8Array(good.length + 4);
    longer.set(good);
    badFormat(longer, /got 20 \(shape disagrees with the byte count\)/);
    badFormat(npyBytes('|b1', [1], [1]), /expected a dtype among .* got '\|b1'/);
    const object = new TextEncoder().encode("{'descr': '|O', 'fortran_order': False, 'shape': (1,), }\n");
    const pickled = new Uint8Array(10 + object.length + 8);
    pickled.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, object.length, 0]);
    pickled.set(object, 10);
    badFormat(pickled, /an object array/);
  });
});
