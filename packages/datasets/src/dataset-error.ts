import { EmpiricalBregmanError, type ErrorCode } from '@empirical-bregman/common';

/**
 * The error class of `@empirical-bregman/datasets`. Messages read `"<component>: expected <what>, got <what>"` and,
 * for file problems, name the file; `code` is one of the project's stable {@link ErrorCode}s ('BAD_FORMAT' for a
 * malformed file, 'NOT_FOUND' for an unknown dataset or a missing file, 'CHECKSUM_MISMATCH' for a download whose
 * SHA-256 differs from the published one, 'IO' for a failed read/write/transfer, 'INVALID_ARGUMENT' otherwise).
 */
export class DatasetError extends EmpiricalBregmanError {
  constructor(component: string, code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(component, code, message, options);
  }
}

/** A third-party error's message as one line (sharp's can span several), for the `got …` part of a message. */
export function causeText(cause: unknown): string {
  const text = cause instanceof Error ? cause.message : String(cause);
  const lines = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
  // libvips repeats a decoder's complaint once per attempt.
  return [...new Set(lines)].join('; ');
}
