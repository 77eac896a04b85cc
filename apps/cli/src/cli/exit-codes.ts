import { type ErrorCode, isEmpiricalBregmanError } from '@empirical-bregman/common';
import { CommanderError } from 'commander';

/**
 * The `bregman` exit codes: one per class of outcome, so a script can tell "fix your command line" from "fetch the
 * data" from "retry later" without reading the message. The numbers never change meaning.
 */
export const EXIT_CODES = {
  /** Everything asked for was done. */
  ok: 0,
  /** An internal error: a bug (the message carries a stack trace to report). */
  bug: 1,
  /** The command line or a config is wrong: unknown flag or value, invalid setting or combination. */
  usage: 2,
  /** Data or I/O: a missing, unreadable or malformed file, a checksum mismatch, a failing file system. */
  data: 3,
  /** A computation went non-finite or left its domain (e.g. a NaN loss in training). */
  numerical: 4,
  /** A resource is not reachable or not present: Redis, a dataset not on this machine, a backend not installed. */
  unavailable: 5,
  /** Some cells of a `bregman bench` grid failed; the others finished and the report marks the failed ones. */
  partial: 6,
} as const;

export type ExitClass = keyof typeof EXIT_CODES;

/**
 * THE mapping of the project's stable error codes (packages/common's {@link ErrorCode}) to exit classes. Typed as a
 * complete record: a new ErrorCode does not compile until it is given a class here.
 */
export const EXIT_CLASS_OF_ERROR_CODE: Readonly<Record<ErrorCode, ExitClass>> = {
  INVALID_ARGUMENT: 'usage',
  // "Valid in general, not supported here" (e.g. `eval` on a divergence-regression run): the request is the problem.
  UNSUPPORTED: 'usage',
  // Reaching the CLI, a wrong shape comes from the user's data (e.g. `embed --input` rows of the wrong width).
  INVALID_SHAPE: 'data',
  BAD_FORMAT: 'data',
  CHECKSUM_MISMATCH: 'data',
  IO: 'data',
  // A file or run folder the user named does not exist. (A dataset that is not on this machine is UNAVAILABLE.)
  NOT_FOUND: 'data',
  NON_FINITE: 'numerical',
  OUT_OF_DOMAIN: 'numerical',
  NUMERICAL: 'numerical',
  UNAVAILABLE: 'unavailable',
};

/** One line per exit code, for `bregman --help` (the README has the same table). */
export const EXIT_CODES_HELP = `Exit codes:
  0  success
  1  internal error: a bug (the message has a stack trace; please report it)
  2  usage: unknown flag, command or value; invalid setting or combination
  3  data or I/O: missing, unreadable or malformed file; checksum mismatch; file-system error
  4  numerical: NaN/infinity in training or evaluation (e.g. a too large learning rate)
  5  unavailable: Redis unreachable, a dataset not present here (bregman data fetch NAME)
  6  partial: some bench grid cells failed; the others' results and the report are written`;

/**
 * Thrown by a command that did its work and wrote its output, but part of the work failed (`bench`: some grid
 * cells): exit code 6, its message as the last line on stderr.
 */
export class PartialFailure extends Error {
  override readonly name = 'PartialFailure';
}

/** A Node.js system error (ENOENT, EACCES, ENOTDIR, ENOSPC, …) from fs or net, which names its path or address. */
function isSystemError(error: unknown): error is NodeJS.ErrnoException {
  if (!(error instanceof Error)) return false;
  const { code, syscall } = error as NodeJS.ErrnoException;
  return typeof code === 'string' && /^E[A-Z0-9]+$/.test(code) && typeof syscall === 'string';
}

/** How the CLI ends after `error`: its exit code and the text for stderr ('' when commander already printed it). */
export function exitStatusOf(error: unknown): { readonly exitCode: number; readonly message: string } {
  // --help and --version end as a CommanderError with exit code 0; every other one is a usage error, already printed.
  if (error instanceof CommanderError)
    return { exitCode: error.exitCode === 0 ? EXIT_CODES.ok : EXIT_CODES.usage, message: '' };
  if (error instanceof PartialFailure) return { exitCode: EXIT_CODES.partial, message: `bregman: ${error.message}\n` };
  if (isEmpiricalBregmanError(error)) {
    return {
      exitCode: EXIT_CODES[EXIT_CLASS_OF_ERROR_CODE[error.code] ?? 'bug'],
      message: `bregman: ${error.message}\n`,
    };
  }
  if (isSystemError(error)) {
    // "ENOENT: no such file or directory, open '/x/y'": one line that names the path, no stack.
    return { exitCode: EXIT_CODES.data, message: `bregman: ${error.message.split('\n')[0]}\n` };
  }
  return {
    exitCode: EXIT_CODES.bug,
    message: `bregman: unexpected error (a bug; please report it with this trace):\n${(error as Error)?.stack ?? String(error)}\n`,
  };
}
