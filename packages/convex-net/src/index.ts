export type {
  ConvexFunction,
  ConvexFunctionJSON,
  SerializedTensor,
  ValueAndGrad,
  ValueAndGradOptions,
} from './convex-function';
