import { expect } from 'vitest';
import { LossesError } from '../losses-error';

/** Test helper: `run` throws a {@link LossesError} of `code` whose one-line message matches `pattern`. */
export function expectLossesError(run: () => unknown, code: string, pattern: RegExp): void {
  let error: unknown;
  try {
    run();
  } catch (e) {
    error = e;
  }
  expect(error, `expected a LossesError ${code} matching ${pattern}`).toBeInstanceOf(LossesError);
  expect((error as LossesError).code).toBe(code);
  expect((error as Error).message).toMatch(pattern);
  expect((error as Error).message).not.toMatch(/\n/);
}
