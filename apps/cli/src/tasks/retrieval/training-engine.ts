import { type LabelledData, type MPerClassSampler, gatherBatch } from '@empirical-bregman/datasets';
import type { BackendInfo } from '@empirical-bregman/runtime';
import { DataParallelTrainer, WorkerPool } from '@empirical-bregman/runtime/node';
import * as tf from '@tensorflow/tfjs-core';
import { CliError } from '../../cli-error';
import { builtEntryPath } from '../../built-entry';
import { type RunConfig, dataParallelWorkers } from '../../config/run-config';
import type { NamedArray } from '@empirical-bregman/common';
import { type ModelParts, batchLoss } from './model-parts';
import { optimizerArrays, restoreOptimizer, stateArrays, stateFromArrays } from '../../run/optimizer-state';
import { headLearningRate } from './head-learning-rate';
import type { TrainReplicaBatch, TrainReplicaInit } from './train-replica';
import { variableGradients } from '../../run/variable-gradients';

/**
 * How a run takes its optimizer steps: in this thread, or as synchronous data-parallel replicas on worker threads.
 * The epoch loop, validation and checkpoints are the same for both; they see the model of this thread.
 */
export interface TrainingEngine {
  /** One optimizer step on the sampler's next batch (data-parallel: one batch per worker); returns the loss. */
  step(): Promise<number>;
  /** The loss's statistics of the last step (data-parallel: averaged over the replicas), or null. */
  lastStats(): Promise<StepStats | null>;
  /** Makes this thread's model hold the trained weights (data-parallel: copies them from a replica). */
  sync(): Promise<void>;
  /** The optimizers' state as checkpoint arrays (`trunkOptimizer/…`, `headOptimizer/…`). */
  optimizerArrays(): Promise<NamedArray<'float32'>[]>;
  /** Puts back what `optimizerArrays` saved; this thread's model already holds the checkpoint's weights. */
  restore(arrays: ReadonlyMap<string, NamedArray<'float32'>>): Promise<void>;
  dispose(): Promise<void>;
}

/** What the epoch curves record of the loss's statistics. */
export interface StepStats {
  readonly meanPositive: number;
  readonly meanNegative: number;
}

interface EngineContext {
  readonly config: RunConfig;
  readonly parts: ModelParts;
  readonly sampler: MPerClassSampler;
  readonly train: LabelledData;
  /** The run's optimiser steps (epochs × steps per epoch): the head's `divergenceSchedule` spans them. */
  readonly totalSteps?: number;
}

const LABELS = ['trunkOptimizer', 'headOptimizer'] as const;

/** Steps in this thread: the trunk's and the head's Adam optimizers. */
export function inProcessEngine(context: EngineContext): TrainingEngine {
  const { config, parts, sampler, train } = context;
  const { trunkVars, headVars } = parts;
  const trunkOptimizer = tf.train.adam(config.learningRate);
  const headOptimizer = tf.train.adam(config.divergenceLearningRate);
  const schedule = config.divergenceSchedule ?? 'constant';
  // tfjs's Adam reads its (protected) learningRate at every step and counts its steps in `iterations`, which the
  // checkpoint restores (its `iter` weight): setting the rate from that count keeps a resumed run on its schedule.
  const headRate = headOptimizer as unknown as { learningRate: number };
  return {
    async step() {
      const batch = gatherBatch(train, sampler.nextBatch());
      return tf.tidy(() => {
        const x = tf.tensor(batch.features, [batch.labels.length, ...train.sampleShape]);
        const labels = tf.tensor1d(batch.labels, 'int32');
        const { value, grads } = tf.variableGrads(
          () => batchLoss(config, parts, x, labels),
          [...trunkVars, ...headVars],
        );
        trunkOptimizer.applyGradients(variableGradients(trunkVars, grads));
        if (headVars.length > 0) {
          if (schedule !== 'constant')
            headRate.learningRate = headLearningRate(
              schedule,
              config.divergenceLearningRate,
              headOptimizer.iterations,
              context.totalSteps ?? 0,
            );
          headOptimizer.applyGradients(variableGradients(headVars, grads));
        }
        return value.dataSync()[0]!;
      });
    },
    async lastStats() {
      return parts.loss.lastStats;
    },
    async sync() {},
    async optimizerArrays() {
      return [
        ...(await optimizerArrays(LABELS[0], trunkOptimizer)),
        ...(await optimizerArrays(LABELS[1], headOptimizer)),
      ];
    },
    async restore(arrays) {
      await restoreOptimizer(LABELS[0], trunkOptimizer, arrays);
      await restoreOptimizer(LABELS[1], headOptimizer, arrays);
    },
    async dispose() {
      trunkOptimizer.dispose();
      headOptimizer.dispose();
    },
  };
}

/**
 * Synchronous data-parallel steps (runtime's DataParallelTrainer): `config.dataParallel` workers, each with a full
 * replica built from the run config and its own batch from the run's sampler, drawn in worker order; the mean
 * gradient updates every replica alike. Checkpoints hold the same arrays as in-thread ones (the replicas' optimizer
 * states under the in-thread names).
 */
export async function dataParallelEngine(
  context: EngineContext & { readonly init: TrainReplicaInit; readonly backend: BackendInfo },
): Promise<TrainingEngine> {
  const { config, sampler, train } = context;
  const { trunkVars, headVars } = context.parts;
  const workers = dataParallelWorkers(config);
  if ((config.divergenceSchedule ?? 'constant') !== 'constant')
    throw new CliError(
      'train',
      'INVALID_ARGUMENT',
      `expected divergenceSchedule constant with dataParallel > 1 (the replicas' optimisers keep one rate), got ${config.divergenceSchedule}`,
    );
  // The workers run the calling thread's backend, so a run's recorded backend is the one that trained it.
  const pool = await WorkerPool.create({ size: workers, backend: { force: context.backend.backend } });
  let trainer: DataParallelTrainer;
  try {
    const replicaModule = builtEntryPath('train-replica');
    if (!replicaModule)
      throw new CliError(
        'train',
        'NOT_FOUND',
        'expected the built replica module dist/train-replica.js, got none (run `pnpm build` first)',
      );
    trainer = await DataParallelTrainer.create(pool, { replicaModule, init: context.init });
  } catch (error) {
    await pool.close();
    throw error;
  }
  const variables = [...trunkVars, ...headVars];
  const groups = headVars.length > 0 ? LABELS : LABELS.slice(0, 1);
  return {
    async step() {
      const batches: TrainReplicaBatch[] = [];
      for (let w = 0; w < workers; w++) {
        const { features, labels } = gatherBatch(train, sampler.nextBatch());
        batches.push({ features, labels });
      }
      return (await trainer.step(batches)).loss;
    },
    async lastStats() {
      // Each replica reports its loss's statistics of its last batch (train-replica's `report`).
      const stats = (await trainer.reports()).filter((r): r is StepStats => r !== null);
      if (stats.length === 0) return null;
      const mean = (pick: (s: StepStats) => number) => stats.reduce((sum, s) => sum + pick(s), 0) / stats.length;
      return { meanPositive: mean((s) => s.meanPositive), meanNegative: mean((s) => s.meanNegative) };
    },
    async sync() {
      const weights = await trainer.weights(0);
      tf.tidy(() => {
        for (const [i, v] of variables.entries()) v.assign(tf.tensor(weights[i]!.values, v.shape, 'float32'));
      });
    },
    async optimizerArrays() {
      const { optimizers } = await trainer.state(0);
      return groups.flatMap((label, g) => stateArrays(label, optimizers[g]!));
    },
    async restore(arrays) {
      await trainer.loadState({
        variables: variables.map((v) => ({ name: v.name, shape: [...v.shape], values: v.dataSync() as Float32Array })),
        optimizers: groups.map((label) => stateFromArrays(label, arrays)),
      });
    },
    async dispose() {
      await trainer.dispose();
      await pool.close();
    },
  };
}
