import { CliError } from '../cli-error';

/**
 * The parsers of flag values, one per kind, for every command: each takes the flag's name for its message and
 * returns commander's `argParser`. A bad value is a one-line usage error (exit code 2) naming the flag:
 * `bregman: --seeds: expected a positive integer, got "two"`.
 *
 * ```ts
 * command.option('--seeds <n>', 'seeds per cell', positiveInteger('--seeds'));
 * ```
 */

/** `n` if it is an integer ≥ 1, else a usage error naming `flag` (for values that did not come through a parser). */
export function requirePositiveInteger(n: number, flag: string): number {
  if (!Number.isInteger(n) || n < 1)
    throw new CliError(flag, 'INVALID_ARGUMENT', `expected a positive integer, got ${n}`);
  return n;
}

function toNumber(text: string): number {
  return text.trim() === '' ? Number.NaN : Number(text);
}

/** A finite number (`1e-3`, `0.5`, `-2`). */
export function finiteNumber(flag: string): (text: string) => number {
  return (text) => {
    const n = toNumber(text);
    if (!Number.isFinite(n))
      throw new CliError(flag, 'INVALID_ARGUMENT', `expected a number, got ${JSON.stringify(text)}`);
    return n;
  };
}

/** An integer ≥ 1 (`--seeds 3`, `--workers 2`). */
export function positiveInteger(flag: string): (text: string) => number {
  return (text) => {
    const n = toNumber(text);
    if (!Number.isInteger(n) || n < 1)
      throw new CliError(flag, 'INVALID_ARGUMENT', `expected a positive integer, got ${JSON.stringify(text)}`);
    return n;
  };
}

/** Numbers separated by commas (`--hidden 256,128`). */
export function numberList(flag: string): (text: string) => number[] {
  return (text) =>
    text.split(',').map((part) => {
      const n = toNumber(part);
      if (!Number.isFinite(n))
        throw new CliError(
          flag,
          'INVALID_ARGUMENT',
          `expected numbers separated by commas, got ${JSON.stringify(text)}`,
        );
      return n;
    });
}

/** Names separated by commas (`--datasets wine,iris`); empty parts are dropped, an empty list is an error. */
export function commaList(flag: string): (text: string) => string[] {
  return (text) => {
    const parts = text
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean);
    if (parts.length === 0)
      throw new CliError(flag, 'INVALID_ARGUMENT', `expected a comma-separated list, got ${JSON.stringify(text)}`);
    return parts;
  };
}
