import { EmpiricalBregmanError, type ErrorCode } from '@empirical-bregman/common';

/**
 * Errors raised by `@empirical-bregman/convex-net`. The `component` names the generator and method
 * (e.g. `'NegativeEntropy.valueAndGrad'`), the message reads "expected <what>, got <what>".
 */
export class ConvexNetError extends EmpiricalBregmanError {
  constructor(component: string, code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(component, code, message, options);
  }
}
