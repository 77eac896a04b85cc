import { EmpiricalBregmanError } from '@empirical-bregman/common';

/**
 * The error of the report module of `@empirical-bregman/cli`. Messages read `"<component>: expected <what>, got
 * <what>"`; `code` is `'INVALID_SHAPE'` for arrays whose lengths disagree (a projection's x, y and labels, an
 * embedding buffer shorter than n·dim, a matrix that is not square), `'INVALID_ARGUMENT'` for bad options.
 */
export class ReportError extends EmpiricalBregmanError {}
