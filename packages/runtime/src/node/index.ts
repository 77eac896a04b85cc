// Node-only parts of runtime: worker threads, the file system and the data-parallel trainer built on them. The main
// entry (`@empirical-bregman/runtime`) stays importable in a browser; `tools/checks/check-browser-bundles.mjs` checks.
export { WorkerPool } from '../worker-pool';
export type { WorkerPoolOptions } from '../worker-pool';
// A task's result with transferred buffers has its home in zero-copy (tasks of other packages build it without
// depending on runtime); re-exported for the apps that import it from here.
export { withTransfer } from '@empirical-bregman/zero-copy';
export type { TransferableResult } from '@empirical-bregman/zero-copy';
export type { TaskContext } from '../worker-protocol';
export { fileSystemIOHandler } from '../file-system-io-handler';
// Its home is node-io (libraries write files atomically too); re-exported for the apps that import it from here.
export { writeFileAtomic } from '@empirical-bregman/node-io';
export { DataParallelTrainer } from '../data-parallel/data-parallel-trainer';
export type { DataParallelStep, DataParallelTrainerOptions } from '../data-parallel/data-parallel-trainer';
export type {
  CreateReplica,
  DataParallelState,
  DataParallelStepTimings,
  OptimizerGroup,
  Replica,
  ReplicaContext,
  VariableValues,
} from '../data-parallel/replica';
