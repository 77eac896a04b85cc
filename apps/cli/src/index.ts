export { main, buildProgram } from './cli';
export { CliError } from './cli-error';
/** @deprecated renamed to {@link CliError} when the app `@empirical-bregman/bench` became `@empirical-bregman/cli`. */
export { CliError as BenchError } from './cli-error';
export { readConfigFile, runName } from './config/run-config';
export { RUN_CONFIG_SCHEMA } from './config/run-config-schema';
export { validateRunConfig } from './config/validate-run-config';
export { TASKS } from './tasks/task-registry';
export type { Task, TaskSession, TaskContext, TaskReport, FinishedTraining, StepPosition } from './run/task';
export type { DivergenceHead, LossName, MinerName, Protocol, RunConfig, TrunkKind } from './config/run-config';
export type { ReducerName, RegularizerName } from './tasks/retrieval/loss-registry';
export { trainRun } from './run/train-run';
export type { RunOutcome, TrainRunOptions } from './run/train-run';
export { trainCommand } from './commands/train-command';
export type * from './report/report-data';
