import * as tf from '@tensorflow/tfjs-core';
import { describeValue } from '@empirical-bregman/common';
import { BaseMiner, type MinerContext, type MinerOptions } from './base-miner';
import { type IndicesTuple, tripletIndices } from '../utils/indices-tuple';
import { LossesError } from '../losses-error';
import { checkNumber } from '../utils/check-options';

/** Which triplets a `TripletMarginMiner` keeps, by their margin μ = D̃(a, n) − D̃(a, p). */
export type TripletType = 'all' | 'hard' | 'semihard' | 'easy';

export interface TripletMarginMinerOptions extends MinerOptions {
  /** m, the margin (default 0.2, like `TripletMarginLoss`). */
  readonly margin?: number;
  /** `'all'` (default): μ ≤ m; `'hard'`: μ ≤ 0; `'semihard'`: 0 < μ ≤ m; `'easy'`: μ > m. */
  readonly typeOfTriplets?: TripletType;
}

/**
 * Triplet mining by margin (Schroff et al. 2015, "FaceNet", CVPR, for the semi-hard rule; pytorch-metric-learning's
 * TripletMarginMiner for the four types): all triplets (a, p, n) whose margin μ = D̃(a, n) − D̃(a, p) falls in the
 * chosen range, found with a [n, m, m] mask over the one divergence matrix. Returns triplets in (a, p, n) order.
 */
export class TripletMarginMiner extends BaseMiner {
  readonly type = 'TripletMarginMiner';
  readonly margin: number;
  readonly typeOfTriplets: TripletType;

  constructor(options: TripletMarginMinerOptions = {}) {
    super('TripletMarginMiner', options);
    this.margin = checkNumber('TripletMarginMiner', 'margin', options.margin, 0.2);
    const t = options.typeOfTriplets ?? 'all';
    if (t !== 'all' && t !== 'hard' && t !== 'semihard' && t !== 'easy') {
      throw new LossesError(
        'TripletMarginMiner',
        'INVALID_ARGUMENT',
        `expected typeOfTriplets 'all', 'hard', 'semihard' or 'easy', got ${describeValue(t)}`,
      );
    }
    this.typeOfTriplets = t;
  }

  protected select(ctx: MinerContext): IndicesTuple {
    const { d, n, m } = ctx;
    const mu = tf.sub(tf.reshape(d, [n, 1, m]), tf.reshape(d, [n, m, 1])); // [a, p, n] = D(a, n) − D(a, p)
    let keep = tf.logicalAnd(
      tf.greater(tf.reshape(ctx.pos, [n, m, 1]), 0),
      tf.greater(tf.reshape(ctx.neg, [n, 1, m]), 0),
    );
    if (this.typeOfTriplets === 'easy') keep = tf.logicalAnd(keep, tf.greater(mu, this.margin));
    else {
      keep = tf.logicalAnd(keep, tf.lessEqual(mu, this.margin));
      if (this.typeOfTriplets === 'hard') keep = tf.logicalAnd(keep, tf.lessEqual(mu, 0));
      if (this.typeOfTriplets === 'semihard') keep = tf.logicalAnd(keep, tf.greater(mu, 0));
    }
    const data = keep.dataSync();
    const a: number[] = [];
    const p: number[] = [];
    const ng: number[] = [];
    const mm = m * m;
    for (let k = 0; k < data.length; k++) {
      if (data[k]) {
        a.push(Math.floor(k / mm));
        p.push(Math.floor((k % mm) / m));
        ng.push(k % m);
      }
    }
    return tripletIndices(a, p, ng);
  }
}
