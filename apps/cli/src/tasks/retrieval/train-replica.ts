// One data-parallel replica of a `bregman train` run (built to dist/train-replica.js; runtime's DataParallelTrainer
// loads it in each worker): the run's trunk, divergence head, loss and miner, built from the run config exactly as
// the calling thread builds them, with the trunk's and the head's Adam optimizers.
import type { Replica } from '@empirical-bregman/runtime/node';
import * as tf from '@tensorflow/tfjs-core';
import type { RunConfig } from '../../config/run-config';
import { batchLoss, buildModelParts } from './model-parts';

export interface TrainReplicaInit {
  readonly config: RunConfig;
  readonly sampleShape: readonly number[];
  readonly isImage: boolean;
  readonly numClasses: number;
}

/** One worker's share of a step: its own m-per-class batch. */
export interface TrainReplicaBatch {
  readonly features: Float32Array;
  readonly labels: Int32Array;
}

export function createReplica(init: TrainReplicaInit): Replica {
  const { config, sampleShape, isImage, numClasses } = init;
  const parts = buildModelParts(config, sampleShape, isImage, numClasses);
  const { trunkVars, headVars, loss } = parts;
  const optimizerGroups = [{ optimizer: tf.train.adam(config.learningRate), variables: trunkVars }];
  if (headVars.length > 0)
    optimizerGroups.push({ optimizer: tf.train.adam(config.divergenceLearningRate), variables: headVars });
  return {
    variables: [...trunkVars, ...headVars],
    optimizerGroups,
    loss(batch: unknown): tf.Scalar {
      const { features, labels } = batch as TrainReplicaBatch;
      return tf.tidy(() =>
        batchLoss(config, parts, tf.tensor(features, [labels.length, ...sampleShape]), tf.tensor1d(labels, 'int32')),
      );
    },
    report(): { meanPositive: number; meanNegative: number } | null {
      const stats = loss.lastStats;
      return stats ? { meanPositive: stats.meanPositive, meanNegative: stats.meanNegative } : null;
    },
    dispose(): void {
      // The variables and optimizers are disposed by the trainer; the model and the head own nothing else, but
      // disposing them is safe (a disposed variable is skipped).
      parts.dispose();
    },
  };
}
