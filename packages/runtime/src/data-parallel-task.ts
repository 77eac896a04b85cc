// The worker side of DataParallelTrainer (its own build entry, dist/data-parallel-task.js): each worker holds one
// replica per trainer, computes its gradient, averages it with the others' through shared memory and applies it.
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import type {
  CreateReplica,
  DataParallelState,
  OptimizerWeightValues,
  Replica,
  ReplicaStepResult,
  VariableValues,
} from './data-parallel/replica';
import { SharedGradientAverage, type SharedGradientBuffers } from './data-parallel/shared-gradient-average';
import { optimizerRunningScalars } from './optimizer-running-scalars';
import { RuntimeError } from './runtime-error';
import type { TaskContext } from './worker-protocol';

interface ReplicaState {
  readonly replica: Replica;
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

/**
 * A float32 tensor's values without a fresh copy where the backend can show them in place (tfjs-backend-wasm's
 * public `typedArrayFromHeap`); `dataSync()` elsewhere. Allocating a new array per gradient per step costs page
 * faults comparable to the copy into shared memory itself. The view is used at once, before any other allocation.
 */
function valuesOf(t: tf.Tensor): ArrayLike<number> {
  const backend = tf.backend() as unknown as { typedArrayFromHeap?: (info: tf.TensorInfo) => unknown };
  if (t.dtype === 'float32' && typeof backend.typedArrayFromHeap === 'function') {
    const view = backend.typedArrayFromHeap(t);
    if (view instanceof Float32Array && view.length === t.size) return view;
  }
  return t.dataSync();
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
  const sizes = replica.variables.map((v) => v.size);
  const size = sizes.reduce((a, b) => a + b, 0);
  replicas.set(payload.trainerId, { replica, sizes, averaged: new Float32Array(size) });
  return { size, names: replica.variables.map((v) => v.name) };
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
      if (g) slot.set(valuesOf(g), offset);
      else slot.fill(0, offset, offset + sizes[i]!);
      offset += sizes[i]!;
    }
    tf.dispose([value, ...Object.values(grads)]);
  } catch (error) {
    average.abort();
    throw error;
  }
  const computed = performance.now();
  const waitMs = average.average(averaged);
  const averagedAt = performance.now();
  tf.tidy(() => {
    const named: tf.NamedTensorMap = {};
    let offset = 0;
    for (const [i, v] of replica.variables.entries()) {
      named[v.name] = tf.tensor(averaged.subarray(offset, offset + sizes[i]!), v.shape, 'float32');
      offset += sizes[i]!;
    }
    replica.optimizer.applyGradients(named);
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

/** The replica's current variable values (to check replicas agree, or to save the model). */
export function replicaWeights(payload: { trainerId: number }): VariableValues[] {
  const { replica } = stateOf(payload.trainerId);
  return replica.variables.map((v) => ({
    name: v.name,
    shape: [...v.shape],
    values: Float32Array.from(v.dataSync() as Float32Array),
  }));
}

/** The replica's variables and its optimizer's state (to checkpoint a run). */
export async function replicaState(payload: { trainerId: number }): Promise<DataParallelState> {
  const { replica } = stateOf(payload.trainerId);
  const weights = await replica.optimizer.getWeights();
  try {
    const optimizer: OptimizerWeightValues[] = weights.map(({ name, tensor }) => ({
      name,
      shape: [...tensor.shape],
      dtype: tensor.dtype === 'int32' ? 'int32' : 'float32',
      values: tensor.dtype === 'int32' ? Int32Array.from(tensor.dataSync()) : Float32Array.from(tensor.dataSync()),
    }));
    const optimizerScalars = Object.entries(optimizerRunningScalars(replica.optimizer)).map(([name, v]) => ({
      name,
      value: v.dataSync()[0]!,
    }));
    return { variables: replicaWeights(payload), optimizer, optimizerScalars };
  } finally {
    // getWeights makes some tensors for the occasion (Adam's iteration count); the optimizer's own variables stay.
    for (const { tensor } of weights) if (!(tensor instanceof tf.Variable)) tensor.dispose();
  }
}

/** Sets the replica's variables and optimizer state from `replicaState` output (to resume a run). */
export async function loadReplicaState(payload: { trainerId: number; state: DataParallelState }): Promise<void> {
  const { replica } = stateOf(payload.trainerId);
  const { variables, optimizer } = payload.state;
  if (variables.length !== replica.variables.length)
    throw new RuntimeError(
      'DataParallelTrainer.loadState',
      'INVALID_SHAPE',
      `expected ${replica.variables.length} variables, got ${variables.length}`,
    );
  for (const [i, v] of replica.variables.entries()) {
    const saved = variables[i]!;
    if (saved.shape.length !== v.shape.length || saved.shape.some((n, k) => n !== v.shape[k]))
      throw new RuntimeError(
        'DataParallelTrainer.loadState',
        'INVALID_SHAPE',
        `expected variable ${i} of shape [${v.shape.join(', ')}], got [${saved.shape.join(', ')}] (${saved.name})`,
      );
  }
  tf.tidy(() => {
    for (const [i, v] of replica.variables.entries()) v.assign(tf.tensor(variables[i]!.values, v.shape, 'float32'));
  });
  // The optimizer's current state is replaced, not disposed, by setWeights: free it here.
  const previous = await replica.optimizer.getWeights();
  const incoming = optimizer.map(({ name, shape, dtype, values }) => ({
    name,
    tensor: tf.tensor(values, shape, dtype),
  }));
  try {
    await replica.optimizer.setWeights(incoming);
  } finally {
    // setWeights keeps its own variables made from these (sharing their data), so the tensors can go.
    tf.dispose(incoming.map((w) => w.tensor));
  }
  tf.dispose(previous.map((w) => w.tensor));
  const scalars = optimizerRunningScalars(replica.optimizer);
  tf.tidy(() => {
    for (const { name, value } of payload.state.optimizerScalars ?? []) scalars[name]?.assign(tf.scalar(value));
  });
}

/** Frees the replica (variables, optimizer and whatever `dispose` frees). */
export function disposeReplica(payload: { trainerId: number }): void {
  const state = replicas.get(payload.trainerId);
  if (!state) return;
  replicas.delete(payload.trainerId);
  state.replica.dispose?.();
  state.replica.optimizer.dispose();
  tf.dispose([...state.replica.variables]);
}

/** Tensors alive on this worker (for leak checks). */
export function workerTensorCount(): number {
  return tf.memory().numTensors;
}
