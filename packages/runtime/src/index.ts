export { initBackend, describeBackend } from './init-backend';
export type { BackendInfo, InitBackendOptions } from './init-backend';
export {
  BACKEND_NAMES,
  DEFAULT_BACKEND_ORDER,
  detectPlatform,
  isBackendName,
  planBackends,
  selectBackend,
} from './backend-order';
export type { BackendAttempt, BackendName, BackendPlan, Platform } from './backend-order';
export { trainingSmokeTest } from './training-smoke-test';
export type { SmokeTestResult } from './training-smoke-test';
export {
  REQUIRED_GRADIENTS,
  assertGradientsRegistered,
  ensureGradientsRegistered,
  missingGradients,
} from './gradients';
export { WASM_TRAINING_KERNELS, setWasmTrainingKernels } from './wasm-kernels/wasm-training-kernels';
export { NATIVE_KERNELS, setNativeKernels } from './native-kernels/native-kernels';
export type { NativeKernelsInfo } from './native-kernels/native-kernels';
export { RuntimeError } from './runtime-error';
// Worker threads, file IO and the data-parallel trainer: `@empirical-bregman/runtime/node`.
export { loadOptimizerState, readOptimizerState } from './optimizer-state';
export type { OptimizerStateValues, OptimizerWeightValues } from './optimizer-state';
