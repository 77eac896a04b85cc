export type {
  ConvexConjugate,
  ConvexFunction,
  ConvexFunctionJSON,
  SerializedTensor,
  ValueAndGrad,
  ValueAndGradOptions,
} from './convex-function';
export { ConvexNetError } from './convex-net-error';
export { ensureGradients } from './ensure-gradients';
export type { InputDomain } from './input-domain';
export {
  convexFunctionFromJSON,
  registerConvexFunction,
  registeredConvexFunctionTypes,
} from './convex-function-registry';
export type { ConvexFunctionFactory } from './convex-function-registry';
export { SquaredNorm } from './squared-norm';
export type { SquaredNormOptions } from './squared-norm';
export { WeightedSquaredNorm } from './weighted-squared-norm';
export type { WeightedSquaredNormOptions } from './weighted-squared-norm';
export { Quadratic } from './quadratic';
export type { QuadraticOptions } from './quadratic';
export { NegativeEntropy } from './negative-entropy';
export type { NegativeEntropyOptions } from './negative-entropy';
export { BurgEntropy } from './burg-entropy';
export type { BurgEntropyOptions } from './burg-entropy';
export { ExponentialSum } from './exponential-sum';
export type { ExponentialSumOptions } from './exponential-sum';
export { SoftplusSum } from './softplus-sum';
export type { SoftplusSumOptions } from './softplus-sum';
export { IcnnConvexFunction } from './icnn-convex-function';
export type { IcnnActivation, IcnnConvexFunctionOptions } from './icnn-convex-function';
export { ResidualIcnnConvexFunction } from './residual-icnn-convex-function';
export type { ResidualIcnnConvexFunctionOptions } from './residual-icnn-convex-function';
export { MaxAffineConvexFunction } from './max-affine-convex-function';
export type { MaxAffineConvexFunctionOptions } from './max-affine-convex-function';
export { SoftMaxAffineConvexFunction } from './soft-max-affine-convex-function';
export type { SoftMaxAffineConvexFunctionOptions } from './soft-max-affine-convex-function';
export { LearnedQuadratic } from './learned-quadratic';
export type { LearnedQuadraticOptions } from './learned-quadratic';
export type { InitSeed } from './variable-set';
