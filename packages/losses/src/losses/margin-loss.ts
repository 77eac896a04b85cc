import * as tf from '@tensorflow/tfjs-core';
import { AvgNonZeroReducer } from '../reducers/avg-non-zero-reducer';
import { type LossContext, type LossTerm, MetricLoss, type MetricLossOptions } from './metric-loss';
import { checkNumber, checkPositiveInteger } from '../utils/check-options';

export interface MarginLossOptions extends MetricLossOptions {
  /** α, the margin around the boundary β (paper default 0.2). */
  readonly alpha?: number;
  /** Initial β, the boundary between positives and negatives (paper default 1.2). */
  readonly beta?: number;
  /** Learn β with the network (default true). */
  readonly learnBeta?: boolean;
  /** ν, the weight of the β regulariser ν·β (default 0). */
  readonly nu?: number;
  /** Give every class its own β^(class) (labels in 0..C−1); default one global β. */
  readonly numClasses?: number;
}

/**
 * Margin loss (Wu et al. 2017, "Sampling matters in deep embedding learning", ICCV):
 *
 *   ℓ(i, j) = [α + y_ij (D̃(i, j) − β)]₊,   y_ij = +1 for positives, −1 for negatives,
 *
 * with a learnable boundary β (global, or β^(y_i) per anchor class), plus ν·β. The paper uses the Euclidean
 * distance; here D̃ is any divergence, normalised by the batch mean by default. Pair it with
 * `DistanceWeightedMiner` for the paper's sampling. Default reducer: `AvgNonZeroReducer` over pairs.
 */
export class MarginLoss extends MetricLoss {
  readonly type = 'MarginLoss';
  readonly alpha: number;
  readonly nu: number;
  readonly learnBeta: boolean;
  /** β: [1] (global) or [C] (per class). */
  readonly beta: tf.Variable;
  private readonly perClass: boolean;

  constructor(options: MarginLossOptions = {}) {
    super('MarginLoss', options, new AvgNonZeroReducer());
    this.alpha = checkNumber('MarginLoss', 'alpha', options.alpha, 0.2, 'nonnegative');
    this.nu = checkNumber('MarginLoss', 'nu', options.nu, 0, 'nonnegative');
    const beta = checkNumber('MarginLoss', 'beta', options.beta, 1.2);
    this.learnBeta = options.learnBeta ?? true;
    this.perClass = options.numClasses !== undefined;
    const size = this.perClass ? checkPositiveInteger('MarginLoss', 'numClasses', options.numClasses) : 1;
    this.beta = tf.tidy(() => tf.variable(tf.fill([size], beta), this.learnBeta));
  }

  override get trainableVariables(): tf.Variable[] {
    return this.learnBeta ? [this.beta] : [];
  }

  protected terms(ctx: LossContext): LossTerm[] {
    const beta = this.perClass
      ? tf.reshape(tf.gather(this.beta, tf.clipByValue(ctx.labels, 0, this.beta.shape[0] - 1)), [ctx.n, 1])
      : tf.reshape(this.beta, [1, 1]);
    const centred = tf.sub(ctx.d, beta);
    const terms: LossTerm[] = [
      { losses: tf.relu(tf.add(this.alpha, centred)), mask: ctx.pos, anchors: 'rows' },
      { losses: tf.relu(tf.sub(this.alpha, centred)), mask: ctx.neg, anchors: 'rows' },
    ];
    if (this.nu > 0 && this.learnBeta) {
      const used = tf.cast(tf.greater(tf.add(tf.sum(ctx.pos, 1, true), tf.sum(ctx.neg, 1, true)), 0), 'float32');
      const reg = tf.mul(this.nu, tf.broadcastTo(beta, [ctx.n, 1]));
      terms.push({ losses: reg, mask: used, anchors: 'rows' });
    }
    return terms;
  }
}
