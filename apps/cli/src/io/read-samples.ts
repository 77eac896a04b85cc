import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { CliError } from '../cli-error';
import { numericRows } from '@empirical-bregman/datasets';
import { samplesFromNpy } from './npy-samples';

/**
 * Samples to embed or query with, from a file: `.npy` ([n, …] float32/float64), `.json` (an array of rows, or
 * `{ "features": [...] }` flat) or `.csv` (one sample per line, decimal numbers only). Every row must have `size`
 * values and every value must be finite in float32 (datasets' `numericRows`): a ragged row, `1e39` or `0x1F` is a
 * one-line error naming the file, row and column, never a re-cut or NaN embedding.
 */
export function readSamples(path: string, size: number): { features: Float32Array; count: number } {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new CliError(
      'input',
      'NOT_FOUND',
      `expected a readable file at ${path}, got ${(error as NodeJS.ErrnoException).code ?? 'an error'}`,
    );
  }
  let flat: Float32Array;
  const ext = extname(path).toLowerCase();
  if (ext === '.npy') {
    flat = samplesFromNpy(bytes, size, path).features;
  } else if (ext === '.json') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(bytes.toString('utf8'));
    } catch (error) {
      throw new CliError('input', 'BAD_FORMAT', `expected JSON in ${path}, got: ${(error as Error).message}`);
    }
    if (Array.isArray(parsed) && parsed.length > 0 && parsed.every((row) => Array.isArray(row))) {
      // Rows: each one sample, checked for its length (a flat re-cut would silently pair the wrong values).
      flat = numericRows(
        parsed.map((row: unknown[]) => row.flat(Number.POSITIVE_INFINITY)),
        { source: path, width: size },
      ).values;
    } else {
      const values = Array.isArray(parsed) ? parsed : (parsed as { features?: unknown })?.features;
      if (!Array.isArray(values) || values.length === 0)
        throw new CliError(
          'input',
          'BAD_FORMAT',
          `expected ${path} to hold an array of numeric rows or { "features": [numbers] }`,
        );
      flat = numericRows([values], { source: path }).values;
    }
  } else if (ext === '.csv') {
    const rows = bytes
      .toString('utf8')
      .split(/\r?\n/)
      .filter((line) => line.trim() !== '')
      .map((line) => line.split(','));
    flat = numericRows(rows, { source: path, width: size }).values;
  } else {
    throw new CliError('input', 'INVALID_ARGUMENT', `expected a .npy, .json or .csv file, got ${path}`);
  }
  if (flat.length === 0 || flat.length % size !== 0) {
    throw new CliError(
      'input',
      'INVALID_SHAPE',
      `expected samples of ${size} values each in ${path}, got ${flat.length} values in total`,
    );
  }
  return { features: flat, count: flat.length / size };
}
