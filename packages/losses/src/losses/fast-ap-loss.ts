import * as tf from '@tensorflow/tfjs-core';
import { describeValue } from '@empirical-bregman/common';
import { LossesError } from '../losses-error';
import { MeanReducer } from '../reducers/mean-reducer';
import { checkNumber } from '../utils/check-options';
import { type LossContext, type LossTerm, MetricLoss, type MetricLossOptions } from './metric-loss';

export interface FastAPLossOptions extends MetricLossOptions {
  /** B, the number of histogram bins (default 10, PML's `num_bins`). */
  readonly numBins?: number;
  /**
   * The largest D̃ the histogram covers (default 4: PML's 2^power for squared distances of unit vectors, and 4× the
   * batch mean under the default scale). Larger D̃ fall into the last bin.
   */
  readonly histogramMax?: number;
}

/**
 * FastAP (Cakir et al. 2019, "Deep metric learning to rank", CVPR): 1 − a histogram approximation of the average
 * precision of each anchor's ranking of its references by D̃. With B + 1 bin centres t_r = r·Δ, Δ = max/B, and the
 * triangular kernel δ_r(d) = [1 − |d − t_r|/Δ]₊ (d clamped to [0, max]):
 *
 *   h⁺_r = Σ_{j∈P_i} δ_r(D̃_ij),  h_r = h⁺_r + Σ_{j∈N_i} δ_r(D̃_ij),  H⁺_r = Σ_{q≤r} h⁺_q,  H_r = Σ_{q≤r} h_q,
 *   ℓ_i = 1 − (1/|P_i|) Σ_r h⁺_r H⁺_r / H_r   (terms with h⁺_r H⁺_r = 0 or H_r = 0 skipped).
 *
 * Anchors without positives do not count. Default reducer: `MeanReducer` over anchors (PML's). Differences from
 * PML: PML requires `LpDistance(power=2)` on normalised embeddings (D ∈ [0, 4]); here any divergence, with D̃
 * clamped to `histogramMax`. A mined tuple restricts the positives and negatives ranked (PML turns it into
 * per-anchor weights instead); reference sets are accepted (PML refuses them).
 */
export class FastAPLoss extends MetricLoss {
  readonly type = 'FastAPLoss';
  readonly numBins: number;
  readonly histogramMax: number;

  constructor(options: FastAPLossOptions = {}) {
    super('FastAPLoss', options, new MeanReducer());
    const bins = options.numBins ?? 10;
    if (typeof bins !== 'number' || !Number.isInteger(bins) || bins < 1) {
      throw new LossesError(
        'FastAPLoss',
        'INVALID_ARGUMENT',
        `expected numBins to be a positive integer, got ${describeValue(bins)}`,
      );
    }
    this.numBins = bins;
    this.histogramMax = checkNumber('FastAPLoss', 'histogramMax', options.histogramMax, 4, 'positive');
  }

  protected terms(ctx: LossContext): LossTerm[] {
    const { n, m } = ctx;
    const b = this.numBins;
    const delta = this.histogramMax / b;
    const d = tf.reshape(tf.clipByValue(ctx.d, 0, this.histogramMax), [1, n, m]);
    const centres = tf.reshape(tf.mul(tf.range(0, b + 1, 1, 'float32'), delta), [b + 1, 1, 1]);
    const pulse = tf.relu(tf.sub(1, tf.div(tf.abs(tf.sub(d, centres)), delta))); // [B+1, n, m]
    const posH = tf.transpose(tf.sum(tf.mul(pulse, tf.reshape(ctx.pos, [1, n, m])), 2)); // [n, B+1]
    const negH = tf.transpose(tf.sum(tf.mul(pulse, tf.reshape(ctx.neg, [1, n, m])), 2));
    const cumPos = tf.cumsum(posH, 1);
    const cumAll = tf.cumsum(tf.add(posH, negH), 1);
    const product = tf.mul(posH, cumPos);
    // Skip empty bins with a safe divisor, so their gradient is exactly zero (never 0/0).
    const safe = tf.logicalAnd(tf.greater(product, 0), tf.greater(cumAll, 0));
    const ratio = tf.where(safe, tf.div(product, tf.where(safe, cumAll, tf.onesLike(cumAll))), tf.zerosLike(product));
    const nPos = tf.sum(ctx.pos, 1);
    const ap = tf.div(tf.sum(ratio, 1), tf.maximum(nPos, 1));
    // Without negatives the ranking is perfect (ℓ = 0, as in PML, still counted by the reducer): written as an
    // exact 0, since 1 − Σ h⁺ / |P| is 0 only up to rounding and its gradient would be rounding noise.
    const hasNeg = tf.cast(tf.greater(tf.sum(ctx.neg, 1), 0), 'float32');
    return [{ losses: tf.mul(tf.sub(1, ap), hasNeg), mask: tf.cast(tf.greater(nPos, 0), 'float32'), anchors: 'rows' }];
  }
}
