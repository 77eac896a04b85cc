import * as tf from '@tensorflow/tfjs-core';
import { describeValue } from '@empirical-bregman/common';
import { LossesError } from '../losses-error';
import type { ComputeOptions } from '../losses/metric-loss';
import { disposeIndices, type IndicesTuple } from '../utils/indices-tuple';
import type { LabelsLike } from '../utils/labels';
import type { LossFunction, Miner } from './loss-function';

export interface MultipleLossesOptions {
  /** The losses (at least one). Not owned. */
  readonly losses: readonly LossFunction[];
  /** w_i, one finite weight per loss (default all 1). */
  readonly weights?: readonly number[];
  /** An optional miner per loss (same length as `losses`; `undefined` entries use the call's tuple). Not owned. */
  readonly miners?: readonly (Miner | undefined)[];
}

/**
 * A weighted sum of losses on one batch (PML's MultipleLosses): Σ_i w_i · loss_i.compute(x, labels, options), loss
 * i using the tuple of its miner when it has one (mined on the call's references), else the call's options.
 * Differences from PML: losses are a list (PML also takes a dict); a call's `indicesTuple` is refused when miners
 * are given (PML asserts the same).
 *
 *   const loss = new MultipleLosses({ losses: [new ContrastiveLoss(), new CircleLoss()], weights: [1, 0.5] });
 */
export class MultipleLosses implements LossFunction {
  readonly type = 'MultipleLosses';
  readonly losses: readonly LossFunction[];
  readonly weights: readonly number[];
  readonly miners: readonly (Miner | undefined)[];

  constructor(options: MultipleLossesOptions) {
    const losses = (options as Partial<MultipleLossesOptions> | undefined)?.losses;
    if (
      !Array.isArray(losses) ||
      losses.length === 0 ||
      !losses.every((l) => typeof (l as Partial<LossFunction> | null)?.compute === 'function')
    ) {
      throw new LossesError(
        'MultipleLosses',
        'INVALID_ARGUMENT',
        `expected losses as a non-empty array of losses, got ${describeValue(losses)}`,
      );
    }
    const weights = options.weights ?? losses.map(() => 1);
    if (
      !Array.isArray(weights) ||
      weights.length !== losses.length ||
      !weights.every((w) => typeof w === 'number' && Number.isFinite(w))
    ) {
      throw new LossesError(
        'MultipleLosses',
        'INVALID_ARGUMENT',
        `expected weights as ${losses.length} finite numbers (one per loss), got ${describeValue(weights)}`,
      );
    }
    const miners = options.miners ?? losses.map(() => undefined);
    if (
      !Array.isArray(miners) ||
      miners.length !== losses.length ||
      !miners.every((m) => m === undefined || typeof (m as Partial<Miner> | null)?.mine === 'function')
    ) {
      throw new LossesError(
        'MultipleLosses',
        'INVALID_ARGUMENT',
        `expected miners as ${losses.length} miners or undefined (one per loss), got ${describeValue(miners)}`,
      );
    }
    this.losses = [...losses];
    this.weights = [...weights];
    this.miners = [...miners];
  }

  get trainableVariables(): tf.Variable[] {
    return [...new Set(this.losses.flatMap((l) => l.trainableVariables))];
  }

  /** Σ_i w_i loss_i: a scalar the caller owns. */
  compute(embeddings: tf.Tensor2D, labels: LabelsLike, options: ComputeOptions = {}): tf.Scalar {
    const hasMiners = this.miners.some((m) => m !== undefined);
    if (hasMiners && options.indicesTuple !== undefined) {
      throw new LossesError(
        'MultipleLosses.compute',
        'INVALID_ARGUMENT',
        'expected no indicesTuple when the losses have miners, got one',
      );
    }
    // Mined first (miners read their selection back), outside the tidy that sums the losses.
    const tuples: (IndicesTuple | undefined)[] = [];
    try {
      for (const miner of this.miners) {
        tuples.push(
          miner?.mine(embeddings, labels, options.refEmbeddings, options.refLabels, {
            refStartsWithEmbeddings: options.refStartsWithEmbeddings,
          }),
        );
      }
      return tf.tidy(() => {
        let total: tf.Scalar = tf.scalar(0);
        this.losses.forEach((loss, i) => {
          const indicesTuple = tuples[i] ?? options.indicesTuple;
          const value = loss.compute(embeddings, labels, { ...options, indicesTuple });
          total = tf.add(total, tf.mul(value, this.weights[i] as number));
        });
        return total;
      });
    } finally {
      for (const t of tuples) if (t !== undefined) disposeIndices(t);
    }
  }
}
