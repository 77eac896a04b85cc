import { cpSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectDataFileFormat } from './data-file-format';
import { classSizes } from './labelled-data';
import { loadDataFiles } from './load-data-files';
import { expectDatasetError } from './testing/expect-dataset-error';
import { npyBytes } from './testing/npy-bytes';
import { tempFolder } from './testing/temp-folder';

const { dir, write } = tempFolder('data-files');
const csv = write('d.csv', 'a,b,label\n1,2,x\n3,4,y\n5,6,y\n');

describe('detectDataFileFormat', () => {
  it('knows formats by extension (any case), IDX by its name, folders as image folders', async () => {
    write('upper.CSV', 'a,label\n1,x\n');
    write('t.tsv', 'x');
    write('x.npy', 'x');
    write('d.npz', 'x');
    write('train-images-idx3-ubyte.gz', 'x');
    expect(await detectDataFileFormat(join(dir, 'upper.CSV'))).toBe('csv');
    expect(await detectDataFileFormat(join(dir, 't.tsv'))).toBe('tsv');
    expect(await detectDataFileFormat(join(dir, 'x.npy'))).toBe('npy');
    expect(await detectDataFileFormat(join(dir, 'd.npz'))).toBe('npz');
    expect(await detectDataFileFormat(join(dir, 'train-images-idx3-ubyte.gz'))).toBe('idx');
    expect(await detectDataFileFormat(dir)).toBe('image-folder');
  });

  it('refuses a missing path (NOT_FOUND) and an unknown kind of file, listing the supported ones', async () => {
    await expectDatasetError(
      loadDataFiles(join(dir, 'absent.csv')),
      'NOT_FOUND',
      /^loadDataFiles: expected a data file or folder at .*absent\.csv, got no such file or folder$/,
    );
    await expectDatasetError(
      loadDataFiles(write('table.parquet', 'PAR1')),
      'INVALID_ARGUMENT',
      /expected a \.csv, \.tsv, \.npy or \.npz file, an IDX images file .* or a folder of class folders of \.png\/\.jpg\/\.jpeg images, got .*table\.parquet/,
    );
  });
});

describe('loadDataFiles options', () => {
  it('refuses options for another format, unknown options and unusable values', async () => {
    await expectDatasetError(
      loadDataFiles(csv, { imageSize: 28 }),
      'INVALID_ARGUMENT',
      /expected only name, labelColumn for csv data \(.*d\.csv\), got imageSize/,
    );
    await expectDatasetError(
      loadDataFiles(csv, { labelcolumn: 'y' } as never),
      'INVALID_ARGUMENT',
      /expected options among name, labelColumn, labels, featuresArray, labelsArray, imageSize, channels, fit, got labelcolumn/,
    );
    await expectDatasetError(
      loadDataFiles(csv, { labelColumn: ' ' }),
      'INVALID_ARGUMENT',
      /expected labelColumn to be a non-empty string, got " "/,
    );
    await expectDatasetError(
      loadDataFiles(dir, { channels: 2 as never }),
      'INVALID_ARGUMENT',
      /expected channels 1 \(grey\) or 3 \(RGB\), got 2/,
    );
    await expectDatasetError(
      loadDataFiles(dir, { imageSize: 0 }),
      'INVALID_ARGUMENT',
      /expected imageSize to be an integer in \[1, 4096\] .* got 0/,
    );
    await expectDatasetError(
      loadDataFiles(dir, { imageSize: [28, 28.5] }),
      'INVALID_ARGUMENT',
      /expected imageSize .* got \[28,28\.5\]/,
    );
    await expectDatasetError(
      loadDataFiles(dir, { fit: 'fill' }),
      'INVALID_ARGUMENT',
      /expected fit only with imageSize/,
    );
    await expectDatasetError(
      loadDataFiles(dir, { imageSize: 8, fit: 'crop' as never }),
      'INVALID_ARGUMENT',
      /expected fit among cover, fill, contain, got "crop"/,
    );
  });

  it('names the data after the path unless told', async () => {
    expect((await loadDataFiles(csv)).name).toBe('d.csv');
    expect((await loadDataFiles(csv, { name: 'mine' })).name).toBe('mine');
  });
});

describe('fingerprint', () => {
  it('is stable across calls and places, and changes with one byte or a name', async () => {
    const x = write('fp/x.npy', npyBytes('<f4', [3, 2], [1, 2, 3, 4, 5, 6]));
    write('fp/y.npy', npyBytes('<i4', [3], [0, 1, 1]));
    const first = await loadDataFiles(x);
    expect(first.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect((await loadDataFiles(x)).fingerprint).toBe(first.fingerprint);
    cpSync(join(dir, 'fp'), join(dir, 'fp-copy'), { recursive: true });
    expect((await loadDataFiles(join(dir, 'fp-copy', 'x.npy'))).fingerprint).toBe(first.fingerprint);

    write('fp/y.npy', npyBytes('<i4', [3], [0, 1, 0]));
    const changed = await loadDataFiles(x);
    expect(changed.fingerprint).not.toBe(first.fingerprint);

    renameSync(join(dir, 'fp-copy', 'y.npy'), join(dir, 'fp-copy', 'x_labels.npy'));
    expect((await loadDataFiles(join(dir, 'fp-copy', 'x.npy'))).fingerprint).not.toBe(first.fingerprint);
  });

  it('covers every file of a CSV (one byte changed in a cell that parses to the same number)', async () => {
    const path = write('fp.csv', 'a,label\n1.0,x\n2,y\n');
    const before = (await loadDataFiles(path)).fingerprint;
    writeFileSync(path, 'a,label\n1.5,x\n2,y\n');
    expect((await loadDataFiles(path)).fingerprint).not.toBe(before);
    writeFileSync(path, 'a,label\n1.00,x\n2,y\n');
    const same = await loadDataFiles(path);
    expect(Array.from(same.features)).toEqual([1, 2]);
    expect(same.fingerprint).not.toBe(before);
  });
});

describe('classSizes', () => {
  it('reports every class with its name and size, for the caller’s protocol checks', async () => {
    expect(classSizes(await loadDataFiles(csv))).toEqual([
      { label: 0, name: 'x', count: 1 },
      { label: 1, name: 'y', count: 2 },
    ]);
  });
});
