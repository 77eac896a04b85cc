import type { NamedArray } from '@empirical-bregman/common';
import type * as tf from '@tensorflow/tfjs-core';
import type { OptimizerStateValues } from '../optimizer-state';

/** What a replica module's `createReplica` receives besides its own `init` payload. */
export interface ReplicaContext {
  /** This replica's worker index (0-based); e.g. to draw a different batch per worker from one seed. */
  readonly workerIndex: number;
  /** Number of replicas. */
  readonly workers: number;
  /** The backend of this worker. */
  readonly backend: string;
}

/**
 * One model replica inside a data-parallel worker. Every replica must create the same variables, in the same order,
 * with the same initial values (seed them), and the same optimizer: they then stay identical step after step.
 */
export interface Replica {
  /** The trained variables, in an order that is the same on every replica. */
  readonly variables: readonly tf.Variable[];
  /** Applies the averaged gradients of every variable (e.g. `tf.train.adam(1e-3)`). Give this or `optimizerGroups`. */
  readonly optimizer?: tf.Optimizer;
  /**
   * Several optimizers, each for its own variables (e.g. a smaller learning rate for a learned head). Every
   * variable belongs to exactly one group.
   */
  readonly optimizerGroups?: readonly OptimizerGroup[];
  /** This replica's scalar loss on its share of a step; `batch` is the step payload sent to this worker. */
  loss(batch: unknown): tf.Scalar;
  /**
   * Anything plain (structured-clonable) the replica wants the caller to see, e.g. statistics of its last step;
   * read by `DataParallelTrainer.reports()`.
   */
  report?(): unknown;
  /** Frees what the replica owns besides its variables and optimizers (those are disposed for it). */
  dispose?(): void;
}

/** One optimizer and the variables it updates. */
export interface OptimizerGroup {
  readonly optimizer: tf.Optimizer;
  readonly variables: readonly tf.Variable[];
}

/**
 * The module a data-parallel trainer loads in every worker exports
 * `createReplica(init: unknown, context: ReplicaContext): Replica | Promise<Replica>`.
 */
export type CreateReplica = (init: unknown, context: ReplicaContext) => Replica | Promise<Replica>;

/**
 * @deprecated Use `NamedArray<'float32'>` from `@empirical-bregman/common` (the same data: a variable's name, shape
 * and float32 values, as read back from a replica).
 */
export type VariableValues = NamedArray<'float32'>;

/** Where one replica's share of a data-parallel step went (milliseconds, measured on its worker). */
export interface DataParallelStepTimings {
  /** Forward, backward, and copying the gradient into shared memory. */
  readonly computeMs: number;
  /** Waiting at the barrier for the other replicas' gradients (the straggler cost). */
  readonly waitMs: number;
  /** Averaging the workers' gradients (every worker averages the whole vector, so all get the same bits). */
  readonly averageMs: number;
  /** The optimizer update with the averaged gradient. */
  readonly applyMs: number;
}

/** What a worker reports back for its replica's share of one step. */
export interface ReplicaStepResult {
  readonly loss: number;
  readonly timings: DataParallelStepTimings;
}

/**
 * Everything a data-parallel run needs to resume exactly: the replicas' variables and their optimizers' states (all
 * replicas hold the same, so one replica's is the run's). Plain data: save it however you like.
 */
export interface DataParallelState {
  /** The replicated variables' values, in the replica's `variables` order. */
  readonly variables: NamedArray<'float32'>[];
  /** One per optimizer, in the order of `optimizerGroups` (or the one `optimizer`). */
  readonly optimizers: OptimizerStateValues[];
}
