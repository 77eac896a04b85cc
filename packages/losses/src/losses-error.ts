import { EmpiricalBregmanError, type ErrorCode } from '@empirical-bregman/common';

/**
 * Errors raised by `@empirical-bregman/losses`. The `component` names the class and method
 * (e.g. `'TripletMarginLoss.compute'`), the message reads "expected <what>, got <what>".
 */
export class LossesError extends EmpiricalBregmanError {
  constructor(component: string, code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(component, code, message, options);
  }
}
