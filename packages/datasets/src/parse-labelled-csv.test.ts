import { describe, expect, it } from 'vitest';
import { DatasetError } from './dataset-error';
import { parseLabelledCsv } from './parse-labelled-csv';

function expectBadFormat(text: string, problem: RegExp, header: 'sklearn' | 'none' = 'none'): void {
  try {
    parseLabelledCsv(text, { source: 'my.csv', header });
    expect.unreachable();
  } catch (error) {
    expect(error).toBeInstanceOf(DatasetError);
    expect((error as DatasetError).code).toBe('BAD_FORMAT');
    expect((error as Error).message).toMatch(/^parseLabelledCsv: my\.csv: /);
    expect((error as Error).message).toMatch(problem);
  }
}

describe('parseLabelledCsv', () => {
  it('parses features and labels, with the scikit-learn header', () => {
    const data = parseLabelledCsv('3,2,a,b\n1.5,-2,0\n3e1,.25,1\n\n0,0,1\n', { header: 'sklearn', source: 's.csv' });
    expect(Array.from(data.features)).toEqual([1.5, -2, 30, 0.25, 0, 0]);
    expect(Array.from(data.labels)).toEqual([0, 1, 1]);
    expect(data.sampleShape).toEqual([2]);
    expect(data.numClasses).toBe(2);
    expect(data.classNames).toEqual(['a', 'b']);
  });

  it('reports ragged rows, non-numeric cells and missing labels with line and column', () => {
    expectBadFormat('1,2,0\n1,2,3,0\n', /expected 3 cells on line 2, got 4 \(ragged row\)/);
    expectBadFormat('1,2,0\n1,x,1\n', /expected a decimal number, got "x" at row 2, column 2$/);
    // Values that would not survive as float32, and notations that are not decimal.
    expectBadFormat('1,2,0\n1,1e400,1\n', /expected a finite number, got Infinity at row 2, column 2$/);
    expectBadFormat(
      '1,2,0\n1e39,2,1\n',
      /expected a value within float32's range \(±3\.4e38\), got 1e\+39 at row 2, column 1$/,
    );
    expectBadFormat('1,2,0\n0x1F,2,1\n', /expected a decimal number, got "0x1F" at row 2, column 1$/);
    expectBadFormat('1,2,0\nInfinity,2,1\n', /expected a decimal number, got "Infinity" at row 2, column 1$/);
    expectBadFormat('1,2,0\n1,2\n', /expected 3 cells .* on line 2, got 2 \(missing label\?\)/);
    expectBadFormat(
      '1,2,0\n1,2,\n',
      /expected a class label in the last column on line 2, got an empty cell \(missing label\)/,
    );
    expectBadFormat('1,2,0\n1,2,1.5\n', /non-negative integer label on line 2, got "1.5"/);
    expectBadFormat('1,2,0\n1,2,-1\n', /non-negative integer label on line 2, got "-1"/);
    expectBadFormat('5,2,a,b\n1,2,0\n', /expected 5 rows as the header says, got 1/, 'sklearn');
    expectBadFormat('2,2,a,b\n1,2,0\n1,2,3,1\n', /expected 3 cells on line 3, got 4/, 'sklearn');
    expectBadFormat('', /at least one data row/);
  });
});
