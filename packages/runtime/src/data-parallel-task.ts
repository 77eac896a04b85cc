// The worker side of DataParallelTrainer (its own build entry, dist/data-parallel-task.js): each worker holds one
// replica per trainer, computes its gradient, averages it with the others' through shared memory and applies it.
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { heapView } from '@empirical-bregman/zero-copy';
import type { CreateReplica, DataParallelState, Replica, ReplicaStepResult } from './data-parallel/replica';
import { SharedGradientAverage, type SharedGradientBuffers } from './data-parallel/shared-gradient-average';
import { nativeBlasInUse } from './native-kernels/native-kernels';
import { loadOptimizerState, type OptimizerStateValues, readOptimizerState } from './optimizer-state';
import { RuntimeError } from './runtime-error';
import type { TaskContext } from './worker-protocol';
import type { NamedArray } from '@empirical-bregman/common';

interface ReplicaState {
  readonly replica: Replica;
  /** The optimizers with the indices (into `replica.variables`) of the variables each updates. */
  readonly groups: { readonly optimizer: tf.Optimizer; readonly members: number[] }[];
  readonly sizes: number[];
  readonly averaged: Float32Array;
  average?: SharedGradientAverage;
}

const replicas = new Map<number, ReplicaState>();

export interface ReplicaInitPayload {
  readonly trainerId: number;
  readonly module: string;
  readonly init: unknown;
  readonly workers: number;
}

export interface ReplicaStepPayload {
  readonly trainerId: number;
  /** This worker's batch of each step, run one after the other. */
  readonly batches: readonly unknown[];
}

function stateOf(trainerId: number): ReplicaState {
  const state = replicas.get(trainerId);
  if (!state)
    throw new RuntimeError(
      'DataParallelTrainer',
      'NOT_FOUND',
      `expected replica ${trainerId} on this worker, got none`,
    );
  return state;
}

/** Loads the replica module and creates this worker's replica; returns its variables' names and total size. */
export async function initReplica(
  payload: ReplicaInitPayload,
  context: TaskContext,
): Promise<{ size: number; names: string[] }> {
  const url = payload.module.startsWith('file:') ? payload.module : pathToFileURL(payload.module).href;
  const mod = (await import(url)) as { createReplica?: CreateReplica };
  if (typeof mod.createReplica !== 'function')
    throw new RuntimeError(
      'DataParallelTrainer',
      'INVALID_ARGUMENT',
      `expected ${payload.module} to export a function createReplica, got ${typeof mod.createReplica}`,
    );
  const replica = await mod.createReplica(payload.init, {
    workerIndex: context.workerIndex,
    workers: payload.workers,
    backend: context.backend,
  });
  let groups: ReplicaState['groups'];
  try {
    groups = optimizerGroupsOf(replica);
  } catch (error) {
    // A replica that cannot train is freed here: nothing else holds it.
    replica.dispose?.();
    for (const o of [replica.optimizer, ...(replica.optimizerGroups ?? []).map((g) => g.optimizer)]) o?.dispose();
    tf.dispose([...replica.variables]);
    throw error;
  }
  const sizes = replica.variables.map((v) => v.size);
  const size = sizes.reduce((a, b) => a + b, 0);
  replicas.set(payload.trainerId, { replica, groups, sizes, averaged: new Float32Array(size) });
  return { size, names: replica.variables.map((v) => v.name) };
}

/** The replica's optimizers with their variables' indices; throws unless every variable has exactly one. */
function optimizerGroupsOf(replica: Replica): ReplicaState['groups'] {
  const fail = (message: string): never => {
    throw new RuntimeError('DataParallelTrainer', 'INVALID_ARGUMENT', message);
  };
  if (replica.optimizerGroups === undefined) {
    if (!replica.optimizer) fail('expected the replica to have an optimizer or optimizerGroups, got neither');
    return [{ optimizer: replica.optimizer!, members: replica.variables.map((_, i) => i) }];
  }
  if (replica.optimizer) fail('expected the replica to have an optimizer or optimizerGroups, got both');
  const index = new Map(replica.variables.map((v, i) => [v, i]));
  const seen = new Set<number>();
  const groups = replica.optimizerGroups.map(({ optimizer, variables }, g) => ({
    optimizer,
    members: variables.map((v) => {
      const i = index.get(v);
      if (i === undefined) fail(`expected optimizer group ${g}'s variables among the replica's, got ${v.name}`);
      if (seen.has(i!)) fail(`expected each variable in one optimizer group, got ${v.name} twice`);
      seen.add(i!);
      return i!;
    }),
  }));
  if (seen.size !== replica.variables.length)
    fail(`expected every variable in an optimizer group, got ${replica.variables.length - seen.size} without one`);
  return groups;
}

/** Connects the replica to the trainer's shared gradient memory (once every replica reported its size). */
export function attachGradientBuffers(
  payload: { trainerId: number; buffers: SharedGradientBuffers },
  context: TaskContext,
): void {
  const state = stateOf(payload.trainerId);
  state.average = new SharedGradientAverage(payload.buffers, context.workerIndex);
}

/** Synchronous data-parallel steps on this worker, one per batch. */
export function stepReplica(payload: ReplicaStepPayload): ReplicaStepResult[] {
  const state = stateOf(payload.trainerId);
  return payload.batches.map((batch) => stepOnce(state, batch));
}

/**
 * One synchronous data-parallel step: gradient of this replica's loss on its batch → shared slot → barrier → mean
 * over workers → optimizer. Returns this replica's loss and where the time went.
 */
function stepOnce(state: ReplicaState, batch: unknown): ReplicaStepResult {
  const started = performance.now();
  const { replica, average, sizes, averaged } = state;
  if (!average)
    throw new RuntimeError('DataParallelTrainer', 'UNAVAILABLE', 'expected the gradient buffers attached, got none');
  let lossValue: number;
  try {
    const slot = average.ownSlot();
    const { value, grads } = tf.variableGrads(() => replica.loss(batch), [...replica.variables]);
    lossValue = value.dataSync()[0]!;
    let offset = 0;
    for (const [i, v] of replica.variables.entries()) {
      const g = grads[v.name];
      // A variable the loss does not reach has a zero gradient (tfjs leaves it out).
      // In place on the wasm heap where possible: a fresh array per gradient per step costs page faults comparable
      // to the copy into shared memory itself.
      if (g) slot.set(heapView(g) ?? g.dataSync(), offset);
      else slot.fill(0, offset, offset + sizes[i]!);
      offset += sizes[i]!;
    }
    tf.dispose([value, ...Object.values(grads)]);
  } catch (error) {
    average.abort();
    throw error;
  }
  const computed = performance.now();
  // The addon of an older build has no averageSlots: the loop in JavaScript then (the same bits).
  const native = nativeBlasInUse()?.blas;
  const waitMs = average.average(averaged, typeof native?.averageSlots === 'function' ? native : null);
  const averagedAt = performance.now();
  tf.tidy(() => {
    const gradients: tf.Tensor[] = [];
    let offset = 0;
    for (const [i, v] of replica.variables.entries()) {
      gradients.push(tf.tensor(averaged.subarray(offset, offset + sizes[i]!), v.shape, 'float32'));
      offset += sizes[i]!;
    }
    // A list in the group's order, not a name-keyed map: tfjs optimizers keep their slots in the order given, and
    // JavaScript orders numeric-looking keys (tfjs's default variable names) by value, not by insertion.
    for (const { optimizer, members } of state.groups)
      optimizer.applyGradients(members.map((i) => ({ name: replica.variables[i]!.name, tensor: gradients[i]! })));
  });
  const applied = performance.now();
  return {
    loss: lossValue,
    timings: {
      computeMs: computed - started,
      waitMs,
      averageMs: averagedAt - computed - waitMs,
      applyMs: applied - averagedAt,
    },
  };
}

/** What the replica's `report()` returns (null without one). */
export function replicaReport(payload: { trainerId: number }): unknown {
  const { replica } = stateOf(payload.trainerId);
  return replica.report ? replica.report() : null;
}

/** The replica's current variable values (to check replicas agree, or to save the model). */
export function replicaWeights(payload: { trainerId: number }): NamedArray<'float32'>[] {
  const { replica } = stateOf(payload.trainerId);
  return replica.variables.map((v) => ({
    name: v.name,
    shape: [...v.shape],
    values: Float32Array.from(v.dataSync() as Float32Array),
  }));
}

/** The replica's variables and its optimizers' states (to checkpoint a run). */
export async function replicaState(payload: { trainerId: number }): Promise<DataParallelState> {
  const { groups } = stateOf(payload.trainerId);
  const optimizers: OptimizerStateValues[] = [];
  for (const { optimizer } of groups) optimizers.push(await readOptimizerState(optimizer));
  return { variables: replicaWeights(payload), optimizers };
}

/** Sets the replica's variables and optimizer states from `replicaState` output (to resume a run). */
export async function loadReplicaState(payload: { trainerId: number; state: DataParallelState }): Promise<void> {
  const { replica, groups } = stateOf(payload.trainerId);
  const { variables, optimizers } = payload.state;
  const fail = (message: string): never => {
    throw new RuntimeError('DataParallelTrainer.loadState', 'INVALID_SHAPE', message);
  };
  if (variables.length !== replica.variables.length)
    fail(`expected ${replica.variables.length} variables, got ${variables.length}`);
  if (optimizers.length !== groups.length) fail(`expected ${groups.length} optimizer states, got ${optimizers.length}`);
  for (const [i, v] of replica.variables.entries()) {
    const saved = variables[i]!;
    if (saved.shape.length !== v.shape.length || saved.shape.some((n, k) => n !== v.shape[k]))
      fail(`expected variable ${i} of shape [${v.shape.join(', ')}], got [${saved.shape.join(', ')}] (${saved.name})`);
  }
  tf.tidy(() => {
    for (const [i, v] of replica.variables.entries()) v.assign(tf.tensor(variables[i]!.values, v.shape, 'float32'));
  });
  for (const [g, { optimizer }] of groups.entries()) await loadOptimizerState(optimizer, optimizers[g]!);
}

/** Frees the replica (variables, optimizer and whatever `dispose` frees). */
export function disposeReplica(payload: { trainerId: number }): void {
  const state = replicas.get(payload.trainerId);
  if (!state) return;
  replicas.delete(payload.trainerId);
  state.replica.dispose?.();
  for (const { optimizer } of state.groups) optimizer.dispose();
  tf.dispose([...state.replica.variables]);
}

/** Tensors alive on this worker (for leak checks). */
export function workerTensorCount(): number {
  return tf.memory().numTensors;
}
