import { EmpiricalBregmanError } from '@empirical-bregman/common';

/**
 * The error of `@empirical-bregman/eval`. Messages read `"<component>: expected <what>, got <what>"`; `code` is
 * stable: `'INVALID_SHAPE'` for mismatched lengths and widths, `'INVALID_ARGUMENT'` for bad options (e.g. `k` larger
 * than the reference set, empty inputs), `'NON_FINITE'` for a NaN divergence, `'IO'` for index files.
 */
export class EvaluationError extends EmpiricalBregmanError {}
