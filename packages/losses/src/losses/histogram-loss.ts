import * as tf from '@tensorflow/tfjs-core';
import { describeValue } from '@empirical-bregman/common';
import { LossesError } from '../losses-error';
import { MeanReducer } from '../reducers/mean-reducer';
import { rowHas, similarity } from '../utils/similarity';
import { type LossContext, type LossTerm, MetricLoss, type MetricLossOptions } from './metric-loss';

export interface HistogramLossOptions extends MetricLossOptions {
  /** R, the number of bins over s ∈ [−1, 1] (default 100, PML's `n_bins`; PML's `delta` is 2/R). */
  readonly numBins?: number;
}

/**
 * Histogram loss (Ustinova & Lempitsky 2016, "Learning deep embeddings with histogram loss", NeurIPS): the
 * probability that a negative pair is more similar than a positive one, from the two similarity histograms. With
 * s = clamp(1 − D̃, −1, 1), nodes t_r = −1 + rΔ (r = 0..R, Δ = 2/R) and the triangular kernel δ_r(s) = [1 − |s − t_r|/Δ]₊:
 *
 *   h⁺_r = (1/|S⁺|) Σ_{(i,j)∈S⁺} δ_r(s_ij),  h⁻_r likewise,  ℓ = Σ_r h⁻_r Σ_{q≤r} h⁺_q.
 *
 * S⁺ / S⁻ are the positive / negative pairs whose anchor also has a pair of the other kind (PML builds them from
 * the batch's triplets). One element per batch (PML's "already reduced"); default reducer `MeanReducer`.
 * Differences from PML: PML takes cosine similarities of unordered pairs and refuses reference sets; here ordered
 * pairs (anchor first) of any divergence, which for a symmetric divergence give the same histograms, and reference
 * sets are accepted. Similarities outside [−1, 1] land on the end nodes (zero gradient).
 */
export class HistogramLoss extends MetricLoss {
  readonly type = 'HistogramLoss';
  readonly numBins: number;

  constructor(options: HistogramLossOptions = {}) {
    super('HistogramLoss', options, new MeanReducer());
    const bins = options.numBins ?? 100;
    if (typeof bins !== 'number' || !Number.isInteger(bins) || bins < 1) {
      throw new LossesError(
        'HistogramLoss',
        'INVALID_ARGUMENT',
        `expected numBins to be a positive integer, got ${describeValue(bins)}`,
      );
    }
    this.numBins = bins;
  }

  protected terms(ctx: LossContext): LossTerm[] {
    const { n, m } = ctx;
    const r = this.numBins;
    const delta = 2 / r;
    const posW = tf.mul(ctx.pos, rowHas(ctx.neg));
    const negW = tf.mul(ctx.neg, rowHas(ctx.pos));
    const s = tf.reshape(tf.clipByValue(similarity(ctx.d), -1, 1), [1, n, m]);
    const nodes = tf.reshape(tf.sub(tf.mul(tf.range(0, r + 1, 1, 'float32'), delta), 1), [r + 1, 1, 1]);
    const kernel = tf.relu(tf.sub(1, tf.div(tf.abs(tf.sub(s, nodes)), delta))); // [R+1, n, m]
    const hist = (w: tf.Tensor) => {
      const total = tf.sum(w);
      return tf.div(tf.sum(tf.mul(kernel, tf.reshape(w, [1, n, m])), [1, 2]), tf.maximum(total, 1));
    };
    const loss = tf.sum(tf.mul(hist(negW), tf.cumsum(hist(posW))));
    const valid = tf.mul(
      tf.cast(tf.greater(tf.sum(posW), 0), 'float32'),
      tf.cast(tf.greater(tf.sum(negW), 0), 'float32'),
    );
    // One whole-batch value: no anchor (even when n = 1).
    return [{ losses: tf.reshape(loss, [1]), mask: tf.reshape(valid, [1]), anchors: null }];
  }
}
