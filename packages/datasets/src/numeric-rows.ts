import { describeValue } from '@empirical-bregman/common';
import { DatasetError } from './dataset-error';

/** The largest finite float32: a value beyond it becomes ±Infinity when stored, and NaN in any later arithmetic. */
export const FLOAT32_MAX = 3.4028234663852886e38;

/** A plain decimal number: digits, an optional fraction and exponent. No hex, binary, `Infinity`, `NaN` or spaces. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Where a value sits, for messages: the file (or stream) name, and 1-based row and column. */
export interface CellPosition {
  readonly source: string;
  readonly row: number;
  readonly column: number;
}

function fail(component: string, at: CellPosition, message: string): never {
  throw new DatasetError(component, 'BAD_FORMAT', `${at.source}: ${message} at row ${at.row}, column ${at.column}`);
}

/**
 * A feature value as stored (float32): finite and within float32's range, else a `BAD_FORMAT` error naming the
 * source, row and column. The one check every reader of numeric rows applies, so `1e39` or `1e400` never turns into
 * an infinite or NaN embedding.
 */
export function checkFeatureValue(value: unknown, at: CellPosition, component = 'numericRows'): number {
  if (typeof value !== 'number' || !Number.isFinite(value))
    fail(component, at, `expected a finite number, got ${describeValue(value)}`);
  if (Math.abs(value as number) > FLOAT32_MAX)
    fail(component, at, `expected a value within float32's range (±3.4e38), got ${value}`);
  return value as number;
}

/** A text cell as a feature value: decimal notation only (`0x1F`, `Infinity` and `1e400` are refused). */
export function parseDecimalCell(text: string, at: CellPosition, component = 'numericRows'): number {
  const cell = text.trim();
  if (!DECIMAL.test(cell)) fail(component, at, `expected a decimal number, got ${JSON.stringify(text)}`);
  return checkFeatureValue(Number(cell), at, component);
}

/** Rows of numbers flattened for a tensor: every row `width` long, every value a float32 feature value. */
export interface NumericRows {
  readonly values: Float32Array;
  readonly rows: number;
  readonly width: number;
}

/**
 * Checks rows of feature values (from JSON, or cells already split from text) and flattens them: every row must have
 * `width` values (default: the first row's), each a finite number within float32's range (a string cell must be a
 * decimal number). Errors name the source, row and column; at least one row is required.
 *
 * ```ts
 * numericRows([[1, 2], [3, 4]], { source: 'samples.json' }); // { values: Float32Array [1, 2, 3, 4], rows: 2, width: 2 }
 * numericRows([[1, 2], [3]], { source: 'samples.json' });    // throws: expected 2 values … got 1 at row 2
 * ```
 */
export function numericRows(
  rows: readonly (readonly unknown[])[],
  options: { readonly source: string; readonly width?: number; readonly component?: string },
): NumericRows {
  const component = options.component ?? 'numericRows';
  const { source } = options;
  if (rows.length === 0)
    throw new DatasetError(component, 'BAD_FORMAT', `${source}: expected at least one row of numbers, got none`);
  const width = options.width ?? rows[0]!.length;
  if (!Number.isInteger(width) || width < 1)
    throw new DatasetError(
      component,
      'BAD_FORMAT',
      `${source}: expected rows of at least one value, got an empty row 1`,
    );
  const values = new Float32Array(rows.length * width);
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]!;
    if (!Array.isArray(row))
      throw new DatasetError(
        component,
        'BAD_FORMAT',
        `${source}: expected row ${r + 1} to be a list of numbers, got ${describeValue(row)}`,
      );
    if (row.length !== width)
      throw new DatasetError(
        component,
        'BAD_FORMAT',
        `${source}: expected ${width} values in every row, got ${row.length} at row ${r + 1} (ragged rows)`,
      );
    for (let c = 0; c < width; c++) {
      const cell = row[c];
      const at = { source, row: r + 1, column: c + 1 };
      values[r * width + c] =
        typeof cell === 'string' ? parseDecimalCell(cell, at, component) : checkFeatureValue(cell, at, component);
    }
  }
  return { values, rows: rows.length, width };
}
