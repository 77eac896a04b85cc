import { EmpiricalBregmanError } from '@empirical-bregman/common';

/** Errors raised by `@empirical-bregman/runtime` (backend choice, kernels, worker pool, model files). */
export class RuntimeError extends EmpiricalBregmanError {}
