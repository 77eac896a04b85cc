import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { CliError } from '../cli-error';
import { decodeNpy } from './npy';

/**
 * Samples to embed or query with, from a file: `.npy` ([n, …] float32/float64), `.json` (an array of rows, or
 * `{ "features": [...] }` flat) or `.csv` (one sample per line, numbers only). Each sample must have `size` values.
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
    flat = decodeNpy(bytes, path).values;
  } else if (ext === '.json') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(bytes.toString('utf8'));
    } catch (error) {
      throw new CliError('input', 'BAD_FORMAT', `expected JSON in ${path}, got: ${(error as Error).message}`);
    }
    const rows = Array.isArray(parsed)
      ? parsed.flat(Number.POSITIVE_INFINITY)
      : (parsed as { features?: unknown[] })?.features;
    if (!Array.isArray(rows) || !rows.every((v) => typeof v === 'number' && Number.isFinite(v))) {
      throw new CliError(
        'input',
        'BAD_FORMAT',
        `expected ${path} to hold an array of numeric rows or { "features": [numbers] }`,
      );
    }
    flat = Float32Array.from(rows as number[]);
  } else if (ext === '.csv') {
    const values: number[] = [];
    for (const [i, line] of bytes.toString('utf8').split(/\r?\n/).entries()) {
      if (line.trim() === '') continue;
      for (const cell of line.split(',')) {
        const v = Number(cell);
        if (cell.trim() === '' || !Number.isFinite(v))
          throw new CliError(
            'input',
            'BAD_FORMAT',
            `expected numbers in ${path}, got ${JSON.stringify(cell)} on line ${i + 1}`,
          );
        values.push(v);
      }
    }
    flat = Float32Array.from(values);
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
