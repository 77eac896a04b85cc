import { describe, expect, it } from 'vitest';
import { npyBytes as npy } from '../../../../packages/datasets/src/testing/npy-bytes';
import { samplesFromNpy } from './npy-samples';

// The datasets package's writer of test .npy files (from the format description), as the hanzi e2e test uses its files.
describe('samplesFromNpy', () => {
  it('reads float32, float64 and uint8 samples of [n, …] or flat arrays into float32 rows', () => {
    const f32 = samplesFromNpy(npy('<f4', [2, 3], [1, 2, 3, 4, 5, 6]), 3, 'a.npy');
    expect(f32.count).toBe(2);
    expect(Array.from(f32.features)).toEqual([1, 2, 3, 4, 5, 6]);
    // Images [n, h, w]: ∏ of the trailing axes is the sample size.
    const f64 = samplesFromNpy(npy('<f8', [1, 2, 2], [0.1, 0.2, 0.3, 0.4]), 4, 'b');
    expect(Array.from(f64.features)).toEqual([0.1, 0.2, 0.3, 0.4].map(Math.fround));
    const u8 = samplesFromNpy(npy('|u1', [6], [0, 255, 3, 4, 5, 6]), 3, 'c');
    expect(u8.count).toBe(2);
    expect(Array.from(u8.features)).toEqual([0, 255, 3, 4, 5, 6]);
  });

  it('refuses another sample size, non-finite values, values beyond float32 and 64-bit integers in one line', () => {
    const six = [1, 2, 3, 4, 5, 6];
    expect(() => samplesFromNpy(npy('<f4', [2, 3], six), 4, 'x.npy')).toThrow(
      'input: expected samples of 4 values each in x.npy, got an array of shape [2, 3] (3 per sample)',
    );
    expect(() => samplesFromNpy(npy('<f4', [6], six), 4, 'x.npy')).toThrow(
      'expected samples of 4 values each in x.npy, got an array of shape [6]',
    );
    const nan = [1, Number.NaN, 3, 4];
    expect(() => samplesFromNpy(npy('<f4', [2, 2], nan), 2, 'x.npy')).toThrow(
      'x.npy: expected a finite number, got NaN at row 1, column 2',
    );
    const big = [1, 2, 1e39, 4];
    expect(() => samplesFromNpy(npy('<f8', [2, 2], big), 2, 'x.npy', 'serve')).toThrow(
      /^serve: x\.npy: expected a value within float32's range \(±3\.4e38\), got 1e\+39 at row 2, column 1$/,
    );
    expect(() => samplesFromNpy(npy('<i8', [1, 2], [1n, 2n]), 2, 'x.npy')).toThrow('got dtype int64');
    expect(() => samplesFromNpy(Uint8Array.from([1, 2, 3]), 2, 'x.npy')).toThrow(/x\.npy: expected a \.npy file/);
  });
});
