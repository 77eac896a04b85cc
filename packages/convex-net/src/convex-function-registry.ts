import { BurgEntropy } from './burg-entropy';
import type { ConvexFunction, ConvexFunctionJSON } from './convex-function';
import { ConvexNetError } from './convex-net-error';
import { ExponentialSum } from './exponential-sum';
import { IcnnConvexFunction } from './icnn-convex-function';
import { ResidualIcnnConvexFunction } from './residual-icnn-convex-function';
import { LearnedQuadratic } from './learned-quadratic';
import { MaxAffineConvexFunction } from './max-affine-convex-function';
import { NegativeEntropy } from './negative-entropy';
import { Quadratic } from './quadratic';
import { SoftMaxAffineConvexFunction } from './soft-max-affine-convex-function';
import { SoftplusSum } from './softplus-sum';
import { SquaredNorm } from './squared-norm';
import { WeightedSquaredNorm } from './weighted-squared-norm';

/** Rebuilds a generator from its `toJSON()` output. */
export type ConvexFunctionFactory = (json: ConvexFunctionJSON) => ConvexFunction;

const BUILT_IN: Readonly<Record<string, ConvexFunctionFactory>> = {
  SquaredNorm: SquaredNorm.fromJSON,
  WeightedSquaredNorm: WeightedSquaredNorm.fromJSON,
  Quadratic: Quadratic.fromJSON,
  NegativeEntropy: NegativeEntropy.fromJSON,
  BurgEntropy: BurgEntropy.fromJSON,
  ExponentialSum: ExponentialSum.fromJSON,
  SoftplusSum: SoftplusSum.fromJSON,
  IcnnConvexFunction: IcnnConvexFunction.fromJSON,
  ResidualIcnnConvexFunction: ResidualIcnnConvexFunction.fromJSON,
  MaxAffineConvexFunction: MaxAffineConvexFunction.fromJSON,
  SoftMaxAffineConvexFunction: SoftMaxAffineConvexFunction.fromJSON,
  LearnedQuadratic: LearnedQuadratic.fromJSON,
};

const custom = new Map<string, ConvexFunctionFactory>();

/**
 * Makes `convexFunctionFromJSON` able to rebuild generators of `type` (a generator defined outside this package).
 * Built-in type names cannot be replaced; registering the same custom name again replaces its factory.
 */
export function registerConvexFunction(type: string, factory: ConvexFunctionFactory): void {
  if (typeof type !== 'string' || type.length === 0) {
    throw new ConvexNetError(
      'registerConvexFunction',
      'INVALID_ARGUMENT',
      `expected a non-empty type name, got ${type}`,
    );
  }
  if (Object.hasOwn(BUILT_IN, type)) {
    throw new ConvexNetError(
      'registerConvexFunction',
      'INVALID_ARGUMENT',
      `expected a type name not used by a built-in generator, got '${type}'`,
    );
  }
  if (typeof factory !== 'function') {
    throw new ConvexNetError(
      'registerConvexFunction',
      'INVALID_ARGUMENT',
      `expected a factory function, got ${typeof factory}`,
    );
  }
  custom.set(type, factory);
}

/** Registered type names (built-in first). */
export function registeredConvexFunctionTypes(): string[] {
  return [...Object.keys(BUILT_IN), ...custom.keys()];
}

/**
 * Rebuilds any generator from `toJSON()` output (built-in or registered with {@link registerConvexFunction}).
 * Learnable generators get new variables holding the saved weights; the caller owns (and disposes) the result.
 */
export function convexFunctionFromJSON(json: ConvexFunctionJSON): ConvexFunction {
  if (
    typeof json !== 'object' ||
    json === null ||
    typeof json.type !== 'string' ||
    typeof json.config !== 'object' ||
    json.config === null
  ) {
    throw new ConvexNetError(
      'convexFunctionFromJSON',
      'BAD_FORMAT',
      `expected { type: string, config: object, weights: object }, got ${json === null ? 'null' : typeof json === 'object' ? `keys [${Object.keys(json).join(', ')}]` : typeof json}`,
    );
  }
  const factory = Object.hasOwn(BUILT_IN, json.type) ? BUILT_IN[json.type] : custom.get(json.type);
  if (factory === undefined) {
    throw new ConvexNetError(
      'convexFunctionFromJSON',
      'NOT_FOUND',
      `expected a registered type (${registeredConvexFunctionTypes().join(', ')}), got '${json.type}'`,
    );
  }
  return factory({ ...json, weights: json.weights ?? {} });
}
