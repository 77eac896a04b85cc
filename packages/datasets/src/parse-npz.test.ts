import { describe, expect, it } from 'vitest';
import { parseNpz } from './parse-npz';
import { expectDatasetError } from './testing/expect-dataset-error';
import { npyBytes } from './testing/npy-bytes';
import { NUMPY_SAVEZ, NUMPY_SAVEZ_COMPRESSED } from './testing/numpy-npz';
import { zipBytes } from './testing/zip-bytes';

describe('parseNpz', () => {
  it('reads every array numpy wrote, by name, stored or deflated', () => {
    const plain = parseNpz(Buffer.from(NUMPY_SAVEZ, 'base64'), 'a.npz');
    expect([...plain.keys()]).toEqual(['x', 'y']);
    expect(plain.get('x')).toMatchObject({ dtype: 'float32', shape: [3, 2] });
    expect(Array.from(plain.get('x')!.data as Float32Array)).toEqual([0.5, -1.25, 3, 4, 1e-3, 2].map(Math.fround));
    expect(plain.get('y')!.data).toEqual(BigInt64Array.from([7n, 3n, 7n]));
    const compressed = parseNpz(Buffer.from(NUMPY_SAVEZ_COMPRESSED, 'base64'), 'b.npz');
    expect([...compressed.keys()]).toEqual(['features', 'labels']);
    expect(compressed.get('labels')!.data).toEqual(['b', 'a', 'b']);
  });

  it('ignores files that are not arrays, and names the archive and array in a bad array’s message', async () => {
    const archive = zipBytes(
      [
        { name: 'readme.txt', data: new TextEncoder().encode('hello') },
        { name: 'ok.npy', data: npyBytes('<i4', [2], [1, 2]) },
      ],
      { deflate: false },
    );
    expect([...parseNpz(archive, 'c.npz').keys()]).toEqual(['ok']);
    const bad = zipBytes([{ name: 'bad.npy', data: new TextEncoder().encode('not npy') }], { deflate: false });
    await expectDatasetError(
      Promise.resolve().then(() => parseNpz(bad, 'd.npz')),
      'BAD_FORMAT',
      /^parseNpz: d\.npz\[bad\]: expected a \.npy file starting with/,
    );
  });
});
