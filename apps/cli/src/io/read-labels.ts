import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { CliError } from '../cli-error';

/**
 * Class labels of reference items, one per item: a `.json` array of non-negative integers, or a `.csv` / `.txt` with
 * one integer per line. Refused in one line naming the file and the entry: a non-integer, a negative, or a count
 * that differs from the items'.
 */
export function readLabels(path: string, count: number): Int32Array {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new CliError(
      'labels',
      'NOT_FOUND',
      `expected a readable file at ${path}, got ${(error as NodeJS.ErrnoException).code ?? 'an error'}`,
    );
  }
  let values: unknown[];
  if (extname(path).toLowerCase() === '.json') {
    try {
      const parsed: unknown = JSON.parse(text);
      values = Array.isArray(parsed) ? parsed : [];
      if (!Array.isArray(parsed)) throw new Error('not an array');
    } catch (error) {
      throw new CliError(
        'labels',
        'BAD_FORMAT',
        `expected a JSON array of integers in ${path}, got: ${(error as Error).message}`,
      );
    }
  } else {
    values = text
      .split(/\r?\n/)
      .filter((line) => line.trim() !== '')
      .map((line) => (/^\s*\d+\s*$/.test(line) ? Number(line) : line));
  }
  if (values.length !== count)
    throw new CliError(
      'labels',
      'BAD_FORMAT',
      `expected ${count} labels in ${path} (one per item), got ${values.length}`,
    );
  const labels = new Int32Array(count);
  for (const [i, v] of values.entries()) {
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0)
      throw new CliError(
        'labels',
        'BAD_FORMAT',
        `expected a non-negative integer label at entry ${i + 1} of ${path}, got ${JSON.stringify(v)}`,
      );
    labels[i] = v;
  }
  return labels;
}
