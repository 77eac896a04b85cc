import { describe, expect, it } from 'vitest';
import { DatasetError } from './dataset-error';
import { FLOAT32_MAX, numericRows, parseDecimalCell } from './numeric-rows';

const at = { source: 'in.csv', row: 3, column: 2 };

describe('numericRows', () => {
  it('flattens rows of numbers and numeric strings into float32', () => {
    const out = numericRows(
      [
        [1, '2.5'],
        [-3e2, '.5'],
      ],
      { source: 'in.json' },
    );
    expect(out).toEqual({ values: Float32Array.from([1, 2.5, -300, 0.5]), rows: 2, width: 2 });
  });

  it('names the source, row and column of every bad value', () => {
    const bad = (rows: unknown[][], width?: number) => () =>
      numericRows(rows, { source: 'in.json', ...(width ? { width } : {}) });
    expect(
      bad([
        [1, 2],
        [3, 4, 5],
      ]),
    ).toThrow(/^numericRows: in\.json: expected 2 values in every row, got 3 at row 2 \(ragged rows\)$/);
    expect(bad([[1, 2]], 3)).toThrow(/expected 3 values in every row, got 2 at row 1/);
    expect(bad([[1, Number.NaN]])).toThrow(/expected a finite number, got NaN at row 1, column 2$/);
    expect(
      bad([
        [1, 2],
        [1e39, 0],
      ]),
    ).toThrow(/within float32's range.*got 1e\+39 at row 2, column 1$/);
    expect(bad([[1, null]])).toThrow(/expected a finite number, got null at row 1, column 2$/);
    expect(bad([[1, '0x1F']])).toThrow(/expected a decimal number, got "0x1F" at row 1, column 2$/);
    expect(bad([])).toThrow(/expected at least one row of numbers, got none/);
    try {
      bad([[1, 2], [3]])();
    } catch (error) {
      expect(error).toBeInstanceOf(DatasetError);
      expect((error as DatasetError).code).toBe('BAD_FORMAT');
    }
  });

  it('keeps the float32 extremes and refuses just beyond them', () => {
    expect(parseDecimalCell('3.4028234663852886e38', at)).toBe(FLOAT32_MAX);
    expect(() => parseDecimalCell('3.41e38', at)).toThrow(/float32's range/);
    expect(parseDecimalCell(' -1.5E-3 ', at)).toBe(-0.0015);
    expect(() => parseDecimalCell('', at)).toThrow(/expected a decimal number, got "" at row 3, column 2/);
  });
});
