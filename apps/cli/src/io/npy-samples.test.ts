import { describe, expect, it } from 'vitest';
import { samplesFromNpy } from './npy-samples';

/** A version-1 .npy of `descr` and `shape` holding `payload` (the values' little-endian bytes). */
function npy(descr: string, shape: readonly number[], payload: Uint8Array): Uint8Array {
  const dims = shape.length === 1 ? `${shape[0]},` : shape.join(', ');
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${dims}), }`;
  header += `${' '.repeat((64 - ((10 + header.length + 1) % 64)) % 64)}\n`;
  const out = new Uint8Array(10 + header.length + payload.byteLength);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(new TextEncoder().encode(header), 10);
  out.set(payload, 10 + header.length);
  return out;
}
const bytesOf = (values: Float32Array | Float64Array | Uint8Array | BigInt64Array) =>
  new Uint8Array(values.buffer, values.byteOffset, values.byteLength);

describe('samplesFromNpy', () => {
  it('reads float32, float64 and uint8 samples of [n, …] or flat arrays into float32 rows', () => {
    const f32 = samplesFromNpy(npy('<f4', [2, 3], bytesOf(Float32Array.from([1, 2, 3, 4, 5, 6]))), 3, 'a.npy');
    expect(f32.count).toBe(2);
    expect(Array.from(f32.features)).toEqual([1, 2, 3, 4, 5, 6]);
    // Images [n, h, w]: ∏ of the trailing axes is the sample size.
    const f64 = samplesFromNpy(npy('<f8', [1, 2, 2], bytesOf(Float64Array.from([0.1, 0.2, 0.3, 0.4]))), 4, 'b');
    expect(Array.from(f64.features)).toEqual([0.1, 0.2, 0.3, 0.4].map(Math.fround));
    const u8 = samplesFromNpy(npy('|u1', [6], Uint8Array.from([0, 255, 3, 4, 5, 6])), 3, 'c');
    expect(u8.count).toBe(2);
    expect(Array.from(u8.features)).toEqual([0, 255, 3, 4, 5, 6]);
  });

  it('refuses another sample size, non-finite values, values beyond float32 and 64-bit integers in one line', () => {
    const six = bytesOf(Float32Array.from([1, 2, 3, 4, 5, 6]));
    expect(() => samplesFromNpy(npy('<f4', [2, 3], six), 4, 'x.npy')).toThrow(
      'input: expected samples of 4 values each in x.npy, got an array of shape [2, 3] (3 per sample)',
    );
    expect(() => samplesFromNpy(npy('<f4', [6], six), 4, 'x.npy')).toThrow(
      'expected samples of 4 values each in x.npy, got an array of shape [6]',
    );
    const nan = bytesOf(Float32Array.from([1, Number.NaN, 3, 4]));
    expect(() => samplesFromNpy(npy('<f4', [2, 2], nan), 2, 'x.npy')).toThrow(
      'x.npy: expected a finite number, got NaN at row 1, column 2',
    );
    const big = bytesOf(Float64Array.from([1, 2, 1e39, 4]));
    expect(() => samplesFromNpy(npy('<f8', [2, 2], big), 2, 'x.npy', 'serve')).toThrow(
      /^serve: x\.npy: expected a value within float32's range \(±3\.4e38\), got 1e\+39 at row 2, column 1$/,
    );
    expect(() => samplesFromNpy(npy('<i8', [1, 2], bytesOf(BigInt64Array.from([1n, 2n]))), 2, 'x.npy')).toThrow(
      'got dtype int64',
    );
    expect(() => samplesFromNpy(Uint8Array.from([1, 2, 3]), 2, 'x.npy')).toThrow(/x\.npy: expected a \.npy file/);
  });
});
