/**
 * The project's error convention. Every package has its own error class (`ConvexNetError`, `DatasetError`, …)
 * extending {@link EmpiricalBregmanError}; each error carries a stable machine-readable `code` and a message of the
 * form `"<component>: expected <what>, got <what>"` that a user can act on. The CLI prints them as one line with an exit
 * code chosen by `code` (apps/cli/src/cli/exit-codes.ts: 2 usage, 3 data or I/O, 4 numerical, 5 unavailable);
 * anything else is a bug and keeps its stack trace.
 */

/** Stable codes: programs may branch on these, so they never change meaning. */
export type ErrorCode =
  /** An argument has the wrong type, range or combination. */
  | 'INVALID_ARGUMENT'
  /** A tensor or array has the wrong rank, width or length. */
  | 'INVALID_SHAPE'
  /** A value lies outside the domain of a function (e.g. a non-positive input to an entropy). */
  | 'OUT_OF_DOMAIN'
  /** NaN or ±Infinity where finite numbers are required. */
  | 'NON_FINITE'
  /** A named thing (dataset, generator, backend, file) does not exist. */
  | 'NOT_FOUND'
  /** Something exists in principle but cannot be used here (e.g. a forced backend that is not installed). */
  | 'UNAVAILABLE'
  /** The operation is valid in general but not supported by this implementation (e.g. a kernel configuration). */
  | 'UNSUPPORTED'
  /** A file or stream is malformed. */
  | 'BAD_FORMAT'
  /** Downloaded or stored data does not match its published checksum. */
  | 'CHECKSUM_MISMATCH'
  /** Reading or writing failed. */
  | 'IO'
  /** A computation produced an impossible result (e.g. a clearly negative divergence). */
  | 'NUMERICAL';

const BRAND = Symbol.for('empirical-bregman.error');

export class EmpiricalBregmanError extends Error {
  /** A stable code, see {@link ErrorCode}. */
  readonly code: ErrorCode;
  /** The public function or class that raised the error, e.g. `'IcnnConvexFunction.valueAndGrad'`. */
  readonly component: string;

  constructor(component: string, code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(`${component}: ${message}`, options);
    this.name = new.target.name;
    this.code = code;
    this.component = component;
    Object.defineProperty(this, BRAND, { value: true });
  }
}

/**
 * True for errors of every package of the project, also when two copies of this package are loaded (ESM and CJS):
 * the check is by a global symbol, not by `instanceof`.
 */
export function isEmpiricalBregmanError(error: unknown): error is EmpiricalBregmanError {
  return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[BRAND] === true;
}

/** A short, human description of a value for the "got …" part of a message. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : `${value}`;
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (ArrayBuffer.isView(value))
    return `a ${value.constructor.name} of length ${(value as unknown as ArrayLike<number>).length}`;
  if (typeof value === 'object') {
    const shape = (value as { shape?: unknown }).shape;
    if (Array.isArray(shape)) return `a tensor of shape [${shape.join(', ')}]`;
    return `an object (${value.constructor?.name ?? 'Object'})`;
  }
  return typeof value;
}
