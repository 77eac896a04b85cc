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
// A task's result with transferred buffers has its home in zero-copy (tasks of other packages build it without
// depending on runtime); re-exported for the apps that import it from here.
export { withTransfer } from '@empirical-bregman/zero-copy';
export type { TransferableResult } from '@empirical-bregman/zero-copy';
export type { TaskContext } from './worker-protocol';
export { fileSystemIOHandler } from './file-system-io-handler';
// Its home is node-io (libraries write files atomically too); re-exported for the apps that import it from here.
export { writeFileAtomic } from '@empirical-bregman/node-io';
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
