export { initBackend, describeBackend } from './init-backend';
export type { BackendInfo, InitBackendOptions } from './init-backend';
export { BACKEND_NAMES, isBackendName, planBackends, selectBackend } from './backend-order';
export type { BackendAttempt, BackendName, BackendPlan } from './backend-order';
export {
  REQUIRED_GRADIENTS,
  assertGradientsRegistered,
  ensureGradientsRegistered,
  missingGradients,
} from './gradients';
export { WASM_TRAINING_KERNELS, setWasmTrainingKernels } from './wasm-kernels/wasm-training-kernels';
export { WorkerPool } from './worker-pool';
export type { WorkerPoolOptions } from './worker-pool';
export { withTransfer } from './worker-protocol';
export type { TaskContext, TransferableResult } from './worker-protocol';
export { fileSystemIOHandler } from './file-system-io-handler';
export { writeFileAtomic } from './atomic-write';
export { RuntimeError } from './runtime-error';
export { DataParallelTrainer } from './data-parallel/data-parallel-trainer';
export type { DataParallelStep, DataParallelTrainerOptions } from './data-parallel/data-parallel-trainer';
export type {
  CreateReplica,
  DataParallelState,
  DataParallelStepTimings,
  OptimizerGroup,
  Replica,
  ReplicaContext,
  VariableValues,
} from './data-parallel/replica';
export { loadOptimizerState, readOptimizerState } from './optimizer-state';
export type { OptimizerStateValues, OptimizerWeightValues } from './optimizer-state';
