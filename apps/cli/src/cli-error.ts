import { EmpiricalBregmanError } from '@empirical-bregman/common';

/** Errors of the `bregman` CLI app: usage and configuration mistakes, missing runs. The CLI prints the message as
 * one line and exits with code 2. */
export class CliError extends EmpiricalBregmanError {}
