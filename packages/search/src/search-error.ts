import { EmpiricalBregmanError } from '@empirical-bregman/common';

/**
 * The error of `@empirical-bregman/search`. Messages read `"<component>: expected <what>, got <what>"`; `code` is
 * stable: `'INVALID_SHAPE'` for mismatched widths and lengths, `'INVALID_ARGUMENT'` for bad options (e.g. `k` larger
 * than the reference set, empty inputs, a pool without the search capability), `'NON_FINITE'` for a NaN divergence,
 * `'NOT_FOUND'` for a missing built task module or index file, `'BAD_FORMAT'` and `'IO'` for index files.
 */
export class SearchError extends EmpiricalBregmanError {}
