import { describe, expect, it } from 'vitest';
import { loadDataFiles } from './load-data-files';
import { expectDatasetError } from './testing/expect-dataset-error';
import { tempFolder } from './testing/temp-folder';

const { write } = tempFolder('table');

describe('loadDataFiles: CSV and TSV', () => {
  it('reads quoted fields, text labels in any column, a BOM and CRLF line ends', async () => {
    const path = write(
      'flowers.csv',
      '\uFEFF"petal, length",species,"width"\r\n' +
        '1.5,"setosa",0.2\r\n' +
        '"4.7",versicolor,1.4\r\n' +
        '\r\n' +
        '1.3,setosa,"2e-1"\r\n' +
        '6.0,"virginica, tall",-2.5\r\n',
    );
    const data = await loadDataFiles(path, { labelColumn: 'species' });
    expect(data.format).toBe('csv');
    expect(data.name).toBe('flowers.csv');
    expect(data.sampleShape).toEqual([2]);
    expect(Array.from(data.features)).toEqual([1.5, 0.2, 4.7, 1.4, 1.3, 0.2, 6, -2.5].map(Math.fround));
    expect(data.classNames).toEqual(['setosa', 'versicolor', 'virginica, tall']);
    expect(Array.from(data.labels)).toEqual([0, 1, 0, 2]);
    expect(data.numClasses).toBe(3);
    expect(data.input).toEqual({
      kind: 'table',
      featureNames: ['petal, length', 'width'],
      labelColumn: 'species',
      delimiter: ',',
    });
    expect(data.files).toEqual([path]);
  });

  it('sorts integer labels by value (label column "label" by default)', async () => {
    const path = write('ints.csv', 'a,b,label\n1,2,10\n3,4,2\n5,6,10\n7,8,3\n');
    const data = await loadDataFiles(path);
    expect(data.classNames).toEqual(['2', '3', '10']);
    expect(Array.from(data.labels)).toEqual([2, 0, 2, 1]);
  });

  it('reads TSV', async () => {
    const path = write('t.tsv', 'label\tx\ty\ncat\t1\t2\ndog\t3\t"4"\n');
    const data = await loadDataFiles(path);
    expect(data.format).toBe('tsv');
    expect(Array.from(data.features)).toEqual([1, 2, 3, 4]);
    expect(data.classNames).toEqual(['cat', 'dog']);
    expect(data.input).toMatchObject({ featureNames: ['x', 'y'], delimiter: '\t' });
  });

  it('refuses empty files, a header without rows, and a file without the label column (listing the columns)', async () => {
    await expectDatasetError(
      loadDataFiles(write('empty.csv', '')),
      'BAD_FORMAT',
      /empty\.csv: expected data, got an empty file/,
    );
    await expectDatasetError(
      loadDataFiles(write('blank.csv', '\n  \n')),
      'BAD_FORMAT',
      /blank\.csv: expected a header row/,
    );
    await expectDatasetError(
      loadDataFiles(write('header.csv', 'a,b,label\n')),
      'BAD_FORMAT',
      /header\.csv: expected at least one data row after the header, got none/,
    );
    await expectDatasetError(
      loadDataFiles(write('nolabel.csv', 'a,b,class\n1,2,x\n')),
      'BAD_FORMAT',
      /nolabel\.csv: expected a label column "label", got the columns "a", "b", "class" \(choose one with labelColumn\)/,
    );
    await expectDatasetError(
      loadDataFiles(write('nolabel2.csv', 'a,b,class\n1,2,x\n'), { labelColumn: 'species' }),
      'BAD_FORMAT',
      /expected a label column "species"/,
    );
  });

  it('refuses ragged rows and bad cells, naming row and column', async () => {
    await expectDatasetError(
      loadDataFiles(write('ragged.csv', 'a,b,label\n1,2,x\n3,y\n')),
      'BAD_FORMAT',
      /ragged\.csv: expected 3 cells in every row \(as in the header\), got 2 at row 3 \(ragged rows\)/,
    );
    const bad: [string, RegExp][] = [
      ['abc', /expected a decimal number, got "abc" at row 3, column 2/],
      ['', /expected a decimal number, got "" at row 3, column 2/],
      ['NaN', /expected a decimal number, got "NaN"/],
      ['Infinity', /expected a decimal number, got "Infinity"/],
      ['1e39', /expected a value within float32's range .* got 1e\+39 at row 3, column 2/],
      ['1e400', /expected a finite number/],
      ['0x1F', /expected a decimal number, got "0x1F"/],
    ];
    for (const [cell, problem] of bad) {
      const path = write('cells.csv', `label,a,b\nx,1,2\ny,${cell},3\n`);
      await expectDatasetError(loadDataFiles(path), 'BAD_FORMAT', new RegExp(`cells\\.csv: ${problem.source}`));
    }
    await expectDatasetError(
      loadDataFiles(write('nolab.csv', 'a,label\n1,x\n2, \n')),
      'BAD_FORMAT',
      /expected a class label in column 2 \("label"\), got an empty cell at row 3/,
    );
  });

  it('refuses one class, broken quoting, unnamed and duplicate columns, binary files', async () => {
    await expectDatasetError(
      loadDataFiles(write('one.csv', 'a,label\n1,x\n2,x\n')),
      'BAD_FORMAT',
      /one\.csv: expected at least two classes, got one \("x"\) in 2 samples/,
    );
    await expectDatasetError(
      loadDataFiles(write('quote.csv', 'a,label\n1,"x\n2,y\n')),
      'BAD_FORMAT',
      /quote\.csv: expected well-formed CSV, got .*Quote Not Closed/,
    );
    await expectDatasetError(
      loadDataFiles(write('index.csv', ',a,label\n0,1,x\n1,2,y\n')),
      'BAD_FORMAT',
      /expected a name for every column in the header, got an empty one in column 1 \(an index column\?/,
    );
    await expectDatasetError(
      loadDataFiles(write('dup.csv', 'a,a,label\n0,1,x\n1,2,y\n')),
      'BAD_FORMAT',
      /expected distinct column names, got "a" twice/,
    );
    await expectDatasetError(
      loadDataFiles(write('binary.csv', new Uint8Array([0xff, 0xfe, 0x00, 0x41]))),
      'BAD_FORMAT',
      /binary\.csv: expected UTF-8 text/,
    );
    await expectDatasetError(
      loadDataFiles(write('only-label.csv', 'label\nx\ny\n')),
      'BAD_FORMAT',
      /expected at least one feature column besides "label", got none/,
    );
  });
});
