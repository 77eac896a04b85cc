import { EmpiricalBregmanError } from '@empirical-bregman/common';

/**
 * The error of `@empirical-bregman/model`. Messages read `"<component>: expected <what>, got <what>"`; `code` is
 * stable: `'NOT_FOUND'` for a missing file of a model or index folder, `'BAD_FORMAT'` for a malformed or inconsistent
 * file (wrong shapes, unknown keys, a trunk whose input or output does not match the manifest), `'UNSUPPORTED'` for a
 * manifest or index of a version this package does not read (or an operation the head cannot do, e.g. an ANN index
 * under a non-Bregman divergence), `'CHECKSUM_MISMATCH'` for index data that does not match its header,
 * `'INVALID_SHAPE'` and `'INVALID_ARGUMENT'` for bad calls, `'UNAVAILABLE'` for what needs Node (a folder path, the
 * ANN index) where it was not given, `'IO'` for a failed read or write.
 */
export class ModelError extends EmpiricalBregmanError {}
