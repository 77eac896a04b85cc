import { expect } from 'vitest';
import { DatasetError } from '../dataset-error';

/**
 * Test helper: `run` fails with a {@link DatasetError} of `code` whose message matches `pattern` and is one line (the
 * CLI prints it as is).
 */
export async function expectDatasetError(
  run: Promise<unknown> | (() => unknown),
  code: string,
  pattern: RegExp,
): Promise<DatasetError> {
  let error: unknown;
  try {
    await (typeof run === 'function' ? run() : run);
  } catch (e) {
    error = e;
  }
  expect(error, `expected a DatasetError ${code} matching ${pattern}`).toBeInstanceOf(DatasetError);
  const e = error as DatasetError;
  expect({ code: e.code, message: e.message }).toEqual({ code, message: expect.stringMatching(pattern) });
  expect(e.message).not.toContain('\n');
  return e;
}
