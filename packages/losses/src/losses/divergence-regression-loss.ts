import { isTensor } from '@empirical-bregman/bregman-core';
import * as tf from '@tensorflow/tfjs-core';
import type { Divergence } from '@empirical-bregman/bregman-core';
import { describeValue } from '@empirical-bregman/common';
import { ensureGradients } from '@empirical-bregman/convex-net';
import { checkEmbeddings } from '../utils/labels';
import { LossesError } from '../losses-error';
import { MeanReducer } from '../reducers/mean-reducer';
import { checkDivergence } from '../utils/check-options';
import type { Reducer } from '../reducers/reducer';

/** How the residual D(x, y) − t is penalised. */
export type RegressionPenalty = 'squared' | 'absolute';

export interface DivergenceRegressionLossOptions {
  /** The divergence to fit (typically a learned Bregman divergence). Default `SquaredEuclideanDivergence`. */
  readonly divergence?: Divergence;
  /** `'squared'` (default): (D − t)²; `'absolute'`: |D − t|. */
  readonly penalty?: RegressionPenalty;
  /** Default `MeanReducer`. */
  readonly reducer?: Reducer;
}

/** Logging numbers of the last `compute`. */
export interface RegressionStats {
  readonly loss: number;
  readonly pairs: number;
  readonly meanDivergence: number;
  readonly meanTarget: number;
}

/**
 * Regression of a divergence onto given targets (Pitis et al. 2023, "Neural Bregman divergences for distance
 * learning", ICLR; Siahkamari et al. 2020): for aligned rows,
 *
 *   ℓ_i = (D(x_i, y_i) − t_i)²   (or |D(x_i, y_i) − t_i|),
 *
 * with x_i in the LEFT slot and y_i in the right one, exactly as given (asymmetric targets such as a known KL or
 * Itakura–Saito divergence are learnable only that way). No scale normalisation: the targets fix the scale.
 */
export class DivergenceRegressionLoss {
  readonly type = 'DivergenceRegressionLoss';
  readonly divergence: Divergence;
  readonly penalty: RegressionPenalty;
  readonly reducer: Reducer;
  private readonly statsVariable: tf.Variable;
  private hasStats = false;

  constructor(options: DivergenceRegressionLossOptions = {}) {
    const component = 'DivergenceRegressionLoss';
    // Like every loss: built to be differentiated.
    ensureGradients();
    this.divergence = checkDivergence(component, options.divergence);
    const penalty = options.penalty ?? 'squared';
    if (penalty !== 'squared' && penalty !== 'absolute') {
      throw new LossesError(
        component,
        'INVALID_ARGUMENT',
        `expected penalty 'squared' or 'absolute', got ${describeValue(penalty)}`,
      );
    }
    this.penalty = penalty;
    this.reducer = options.reducer ?? new MeanReducer();
    this.statsVariable = tf.tidy(() => tf.variable(tf.zeros([4]), false));
  }

  /**
   * The regression loss of aligned pairs: a scalar the caller owns, differentiable w.r.t. x, y and the divergence.
   * @param x [n, d] left-slot rows. @param y [n, d] right-slot rows. @param target [n] (or number[]) targets t_i.
   */
  compute(x: tf.Tensor2D, y: tf.Tensor2D, target: tf.Tensor1D | readonly number[] | Float32Array): tf.Scalar {
    const component = 'DivergenceRegressionLoss.compute';
    const [n, w] = checkEmbeddings(component, x, 'x');
    const [ny, wy] = checkEmbeddings(component, y, 'y');
    if (ny !== n || wy !== w) {
      throw new LossesError(
        component,
        'INVALID_SHAPE',
        `expected y of shape [${n}, ${w}] (like x), got [${ny}, ${wy}]`,
      );
    }
    let owned = false;
    let t: tf.Tensor1D;
    if (isTensor(target)) {
      if (target.rank !== 1 || target.shape[0] !== n || target.dtype !== 'float32') {
        throw new LossesError(
          component,
          'INVALID_SHAPE',
          `expected target as a float32 Tensor1D of length ${n}, got ${describeValue(target)} of dtype ${target.dtype}`,
        );
      }
      t = target;
    } else {
      if (!(Array.isArray(target) || target instanceof Float32Array) || target.length !== n) {
        throw new LossesError(component, 'INVALID_SHAPE', `expected ${n} targets, got ${describeValue(target)}`);
      }
      if (!Array.from(target).every((v) => Number.isFinite(v))) {
        throw new LossesError(component, 'NON_FINITE', 'expected finite targets, got NaN or ±Infinity');
      }
      t = tf.tensor1d(Array.from(target));
      owned = true;
    }
    try {
      return tf.tidy(() => {
        const d = this.divergence.paired(x, y);
        const r = tf.sub(d, t);
        const losses = this.penalty === 'squared' ? tf.square(r) : tf.abs(r);
        const mask = tf.onesLike(losses);
        const loss = this.reducer.reduce(losses, mask);
        this.statsVariable.assign(
          tf.stack([
            loss,
            tf.scalar(n),
            tf.div(tf.sum(d), Math.max(n, 1)),
            tf.div(tf.sum(t), Math.max(n, 1)),
          ]) as tf.Tensor1D,
        );
        this.hasStats = true;
        return loss;
      });
    } finally {
      if (owned) t.dispose();
    }
  }

  /** Statistics of the last `compute` (null before the first); reads 4 numbers back. */
  get lastStats(): RegressionStats | null {
    if (!this.hasStats) return null;
    const v = this.statsVariable.dataSync();
    return { loss: v[0] as number, pairs: v[1] as number, meanDivergence: v[2] as number, meanTarget: v[3] as number };
  }

  /** Frees the statistics variable (not the divergence). */
  dispose(): void {
    this.statsVariable.dispose();
  }
}
