import { EmpiricalBregmanError } from '@empirical-bregman/common';

/**
 * The error of `@empirical-bregman/bregman-core`. Messages read `"<component>: expected <what>, got <what>"`;
 * `code` is stable (`'INVALID_SHAPE'` for bad ranks and widths, `'NUMERICAL'` for a clearly negative divergence,
 * `'NON_FINITE'` for NaN/∞, `'NOT_FOUND'` for an unknown registry type, `'BAD_FORMAT'` for malformed JSON,
 * `'INVALID_ARGUMENT'` for bad options).
 */
export class BregmanCoreError extends EmpiricalBregmanError {}
