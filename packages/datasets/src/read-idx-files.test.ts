import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { loadDataFiles } from './load-data-files';
import { idxLabelsCandidates } from './read-idx-files';
import { expectDatasetError } from './testing/expect-dataset-error';
import { tempFolder } from './testing/temp-folder';

const { write } = tempFolder('idx-files');

/** An IDX uint8 file from the format description: 00 00 08 rank, big-endian dims, the bytes. */
function idxUint8(dims: number[], values: number[]): Uint8Array {
  const out = Buffer.alloc(4 + 4 * dims.length + values.length);
  out[2] = 0x08;
  out[3] = dims.length;
  dims.forEach((d, i) => {
    out.writeUInt32BE(d, 4 + 4 * i);
  });
  out.set(values, 4 + 4 * dims.length);
  return out;
}

// Three 2 × 2 images, labels 4, 0, 4.
const pixels = [0, 51, 255, 102, 1, 2, 3, 4, 255, 255, 0, 0];

describe('loadDataFiles: IDX', () => {
  it('reads an images file and the labels file beside it, gzip or not', async () => {
    const images = write('gz/train-images-idx3-ubyte.gz', gzipSync(idxUint8([3, 2, 2], pixels)));
    const labels = write('gz/train-labels-idx1-ubyte.gz', gzipSync(idxUint8([3], [4, 0, 4])));
    const data = await loadDataFiles(images);
    expect(data.format).toBe('idx');
    expect(data.sampleShape).toEqual([2, 2, 1]);
    expect(Array.from(data.features)).toEqual(pixels.map((p) => Math.fround(p / 255)));
    expect(data.classNames).toEqual(['0', '4']);
    expect(Array.from(data.labels)).toEqual([1, 0, 1]);
    expect(data.files).toEqual([images, labels]);
    expect(data.input).toEqual({ kind: 'image', height: 2, width: 2, channels: 1, resize: 'none', divisor: 255 });

    const raw = write('raw/t10k-images.idx3-ubyte', idxUint8([3, 2, 2], pixels));
    write('raw/t10k-labels.idx1-ubyte', idxUint8([3], [1, 2, 1]));
    expect((await loadDataFiles(raw)).classNames).toEqual(['1', '2']);
    const other = write('raw/my-labels', idxUint8([3], [7, 7, 8]));
    expect((await loadDataFiles(raw, { labels: other })).classNames).toEqual(['7', '8']);
  });

  it('names the labels files it looks for', () => {
    expect(idxLabelsCandidates('/d/train-images-idx3-ubyte.gz')).toEqual([
      'train-labels-idx1-ubyte.gz',
      'train-labels-idx1-ubyte',
    ]);
  });

  it('refuses a missing labels file, the labels file given as the data, and counts that differ', async () => {
    const images = write('bad/a-images-idx3-ubyte', idxUint8([3, 2, 2], pixels));
    await expectDatasetError(
      loadDataFiles(images),
      'NOT_FOUND',
      /expected a labels file beside the IDX images .*a-images-idx3-ubyte \(a-labels-idx1-ubyte or a-labels-idx1-ubyte\.gz\)/,
    );
    const labels = write('bad/a-labels-idx1-ubyte', idxUint8([2], [0, 1]));
    await expectDatasetError(
      loadDataFiles(labels),
      'INVALID_ARGUMENT',
      /expected the IDX images file .*got the labels file/,
    );
    await expectDatasetError(loadDataFiles(images), 'BAD_FORMAT', /a-labels-idx1-ubyte: expected 3 labels .* got 2/);
    write('bad/a-labels-idx1-ubyte', idxUint8([3], [0, 1, 1]));
    write('bad/a-images-idx3-ubyte', idxUint8([3, 2, 2], pixels.slice(0, 10)));
    await expectDatasetError(
      loadDataFiles(images),
      'BAD_FORMAT',
      /a-images-idx3-ubyte: expected 12 data bytes .* \(truncated file\)/,
    );
  });
});
