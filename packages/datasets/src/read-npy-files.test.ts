import { describe, expect, it } from 'vitest';
import { loadDataFiles } from './load-data-files';
import { labelsFileCandidates } from './read-npy-files';
import { expectDatasetError } from './testing/expect-dataset-error';
import { npyBytes } from './testing/npy-bytes';
import { NUMPY_SAVEZ, NUMPY_SAVEZ_COMPRESSED } from './testing/numpy-npz';
import { tempFolder } from './testing/temp-folder';
import { zipBytes } from './testing/zip-bytes';

const { write } = tempFolder('npy');

const X = [0.5, -1.25, 3, 4, 1e-3, 2];

describe('loadDataFiles: NPY', () => {
  it('reads float32 features with the labels file found beside them (x.npy → y.npy)', async () => {
    const x = write('a/x.npy', npyBytes('<f4', [3, 2], X));
    const y = write('a/y.npy', npyBytes('<i8', [3], [7n, 3n, 7n]));
    const data = await loadDataFiles(x);
    expect(data.format).toBe('npy');
    expect(data.sampleShape).toEqual([2]);
    expect(Array.from(data.features)).toEqual(X.map(Math.fround));
    expect(data.classNames).toEqual(['3', '7']);
    expect(Array.from(data.labels)).toEqual([1, 0, 1]);
    expect(data.files).toEqual([x, y]);
    expect(data.input).toEqual({ kind: 'array', dtype: 'float32', sampleShape: [2] });
  });

  it('reads float64 and uint8 features (uint8 unscaled, image-shaped) and string labels given by path', async () => {
    const x = write('b/train_features.npy', npyBytes('<f8', [2, 3], [1, 2, 3, 4, 5, 6.25]));
    write('b/train_labels.npy', npyBytes('<u1', [2], [0, 1]));
    const f8 = await loadDataFiles(x);
    expect(Array.from(f8.features)).toEqual([1, 2, 3, 4, 5, 6.25]);
    const images = write('b/images.npy', npyBytes('|u1', [2, 2, 2, 1], [0, 255, 7, 8, 9, 10, 11, 12]));
    const names = write('b/names.npy', npyBytes('<U3', [2, 1], ['dog', 'cat']));
    const u1 = await loadDataFiles(images, { labels: names });
    expect(u1.sampleShape).toEqual([2, 2, 1]);
    expect(Array.from(u1.features)).toEqual([0, 255, 7, 8, 9, 10, 11, 12]);
    expect(u1.classNames).toEqual(['cat', 'dog']);
    expect(Array.from(u1.labels)).toEqual([1, 0]);
    expect(u1.input).toEqual({ kind: 'array', dtype: 'uint8', sampleShape: [2, 2, 1] });
  });

  it('names the labels files it looks for', () => {
    expect(labelsFileCandidates('/d/x_train.npy')).toEqual([
      'y_train.npy',
      'x_train_labels.npy',
      'x_train-labels.npy',
      'x_train.labels.npy',
    ]);
    expect(labelsFileCandidates('X.npy').slice(0, 2)).toEqual(['y.npy', 'Y.npy']);
    expect(labelsFileCandidates('mnist-images.npy')[0]).toBe('mnist-labels.npy');
    expect(labelsFileCandidates('emb.npy')[0]).toBe('emb_labels.npy');
  });

  it('refuses a missing or ambiguous labels file, counts that differ, bad values and dtypes', async () => {
    const lonely = write('c/feats.npy', npyBytes('<f4', [2, 1], [1, 2]));
    await expectDatasetError(
      loadDataFiles(lonely),
      'NOT_FOUND',
      /expected a labels file beside .*feats\.npy \(feats_labels\.npy, feats-labels\.npy, feats\.labels\.npy\), got none \(give its path as labels\)/,
    );
    const bigX = write('d/X.npy', npyBytes('<f4', [2, 1], [1, 2]));
    write('d/y.npy', npyBytes('<i4', [2], [0, 1]));
    write('d/Y.npy', npyBytes('<i4', [2], [0, 1]));
    await expectDatasetError(
      loadDataFiles(bigX),
      'INVALID_ARGUMENT',
      /got y\.npy and Y\.npy \(choose one with labels\)/,
    );
    await expectDatasetError(
      loadDataFiles(bigX, { labels: write('d/missing-dir/../nothing.npy', new Uint8Array(0)) }),
      'BAD_FORMAT',
      /nothing\.npy: expected data, got an empty file/,
    );
    await expectDatasetError(
      loadDataFiles(bigX, { labels: `${bigX}.absent` }),
      'NOT_FOUND',
      /expected a readable file at .*X\.npy\.absent, got no such file/,
    );
    const x = write('e/x.npy', npyBytes('<f4', [3, 2], X));
    write('e/y.npy', npyBytes('<i4', [2], [0, 1]));
    await expectDatasetError(
      loadDataFiles(x),
      'BAD_FORMAT',
      /y\.npy: expected 3 labels \(one per sample of .*x\.npy\), got 2/,
    );
    write('e/y.npy', npyBytes('<f8', [3], [0, 1, 1]));
    await expectDatasetError(loadDataFiles(x), 'BAD_FORMAT', /y\.npy: expected integer or string labels, got float64/);
    write('e/y.npy', npyBytes('<i4', [3], [0, 0, 0]));
    await expectDatasetError(loadDataFiles(x), 'BAD_FORMAT', /expected at least two classes, got one \("0"\)/);
    write('e/y.npy', npyBytes('<i4', [3], [0, 1, 1]));
    write('e/x.npy', npyBytes('<f4', [3, 2], [1, 2, 3, Number.NaN, 5, 6]));
    await expectDatasetError(
      loadDataFiles(x),
      'BAD_FORMAT',
      /x\.npy: expected a finite number, got NaN at row 2, column 2/,
    );
    write('e/x.npy', npyBytes('<f4', [3, 2], [1, 2, 3, 4, Number.POSITIVE_INFINITY, 6]));
    await expectDatasetError(
      loadDataFiles(x),
      'BAD_FORMAT',
      /expected a finite number, got Infinity at row 3, column 1/,
    );
    write('e/x.npy', npyBytes('<f8', [3, 2], [1, 2, 3, 4, 5, -1e39]));
    await expectDatasetError(loadDataFiles(x), 'BAD_FORMAT', /float32's range .* got -1e\+39 at row 3, column 2/);
    write('e/x.npy', npyBytes('<i8', [3, 2], [1n, 2n, 3n, 4n, 5n, 6n]));
    await expectDatasetError(loadDataFiles(x), 'BAD_FORMAT', /expected float32, float64 or uint8 features, got int64/);
    write('e/x.npy', npyBytes('<f4', [3], [1, 2, 3]));
    await expectDatasetError(
      loadDataFiles(x),
      'BAD_FORMAT',
      /expected features of shape \(samples, features…\).*got \(3\)/,
    );
    write('e/x.npy', new TextEncoder().encode('a,b\n1,2\n'));
    await expectDatasetError(loadDataFiles(x), 'BAD_FORMAT', /x\.npy: expected a \.npy file starting with/);
  });
});

describe('loadDataFiles: NPZ', () => {
  it('reads what numpy writes: np.savez (zip64 local headers) and np.savez_compressed (Fortran order, text labels)', async () => {
    const plain = await loadDataFiles(write('numpy.npz', Buffer.from(NUMPY_SAVEZ, 'base64')));
    expect(plain.format).toBe('npz');
    expect(Array.from(plain.features)).toEqual(X.map(Math.fround));
    expect(plain.classNames).toEqual(['3', '7']);
    expect(Array.from(plain.labels)).toEqual([1, 0, 1]);
    const compressed = await loadDataFiles(write('numpy-c.npz', Buffer.from(NUMPY_SAVEZ_COMPRESSED, 'base64')));
    expect(Array.from(compressed.features)).toEqual(X.map(Math.fround));
    expect(compressed.classNames).toEqual(['a', 'b']);
    expect(Array.from(compressed.labels)).toEqual([1, 0, 1]);
    expect(compressed.input).toEqual({ kind: 'array', dtype: 'float64', sampleShape: [2] });
  });

  it('reads stored and deflated archives, arrays chosen by name', async () => {
    const arrays = [
      { name: 'x_train.npy', data: npyBytes('|u1', [2, 3], [1, 2, 3, 4, 5, 6]) },
      { name: 'y_train.npy', data: npyBytes('<i2', [2], [5, 9]) },
    ];
    for (const deflate of [false, true]) {
      const path = write(`keras-${deflate}.npz`, zipBytes(arrays, { deflate }));
      await expectDatasetError(
        loadDataFiles(path),
        'BAD_FORMAT',
        /expected one features array named "x" or "X" or "features", got the arrays "x_train", "y_train" \(choose one with featuresArray\)/,
      );
      const data = await loadDataFiles(path, { featuresArray: 'x_train', labelsArray: 'y_train' });
      expect(Array.from(data.features)).toEqual([1, 2, 3, 4, 5, 6]);
      expect(data.classNames).toEqual(['5', '9']);
    }
  });

  it('refuses a corrupt archive and a missing labels array', async () => {
    const good = zipBytes([
      { name: 'features.npy', data: npyBytes('<f4', [2, 1], [1, 2]) },
      { name: 'labels.npy', data: npyBytes('<i4', [2], [0, 1]) },
    ]);
    const corrupt = good.slice();
    corrupt[60] ^= 0xff;
    await expectDatasetError(
      loadDataFiles(write('corrupt.npz', corrupt)),
      'BAD_FORMAT',
      /corrupt\.npz: features\.npy: expected CRC-32 .* \(corrupt entry\)/,
    );
    await expectDatasetError(
      loadDataFiles(write('trunc.npz', good.subarray(0, good.length - 30))),
      'BAD_FORMAT',
      /trunc\.npz: expected a zip archive/,
    );
    const noLabels = zipBytes([{ name: 'x.npy', data: npyBytes('<f4', [2, 1], [1, 2]) }]);
    await expectDatasetError(
      loadDataFiles(write('nolabels.npz', noLabels)),
      'BAD_FORMAT',
      /expected one labels array named "y" or "Y" or "labels", got the arrays "x"/,
    );
  });
});
