import type * as tf from '@tensorflow/tfjs-core';
import type { ComputeOptions } from '../losses/metric-loss';
import type { IndicesTuple } from '../utils/indices-tuple';
import type { LabelsLike } from '../utils/labels';
import type { MineOptions } from '../miners/base-miner';

/**
 * What the wrappers take and are: anything with `compute` → a scalar the caller owns. Every `MetricLoss` is one,
 * and so are `CrossBatchMemory` and `MultipleLosses`, so wrappers nest.
 */
export interface LossFunction {
  readonly type: string;
  compute(embeddings: tf.Tensor2D, labels: LabelsLike, options?: ComputeOptions): tf.Scalar;
  /** Variables the loss owns that an optimiser should update (proxies, β); the divergence's are separate. */
  readonly trainableVariables: tf.Variable[];
}

/** What the wrappers need of a miner (every `BaseMiner` is one). */
export interface Miner {
  readonly type: string;
  mine(
    embeddings: tf.Tensor2D,
    labels: LabelsLike,
    refEmbeddings?: tf.Tensor2D,
    refLabels?: LabelsLike,
    options?: MineOptions,
  ): IndicesTuple;
}
