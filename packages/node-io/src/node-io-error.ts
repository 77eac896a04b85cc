import { EmpiricalBregmanError } from '@empirical-bregman/common';

/**
 * The error of `@empirical-bregman/node-io`. Messages read `"<component>: expected <what>, got <what>"`; `code` is
 * `'IO'` when the file system refused (the original error is the `cause`), `'INVALID_ARGUMENT'` for a bad call.
 */
export class NodeIoError extends EmpiricalBregmanError {}
