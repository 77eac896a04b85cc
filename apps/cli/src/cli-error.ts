import { EmpiricalBregmanError } from '@empirical-bregman/common';

/** Errors of the `bregman` CLI app: usage and configuration mistakes, missing runs, missing data, an unreachable
 * queue. The CLI prints the message as one line and exits with the code of the error's class (cli/exit-codes.ts:
 * INVALID_ARGUMENT → 2, NOT_FOUND → 3, UNAVAILABLE → 5, …). */
export class CliError extends EmpiricalBregmanError {}
