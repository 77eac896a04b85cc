import * as tf from '@tensorflow/tfjs-core';
import { BaseMiner, type MinerContext, type MinerOptions } from './base-miner';
import { type IndicesTuple, tripletIndices } from '../utils/indices-tuple';
import { maskFill, BIG } from '../utils/masked-ops';

/**
 * Batch-hard mining (Hermans et al. 2017, "In defense of the triplet loss for person re-identification"): for every
 * anchor a with at least one positive and one negative, the triplet (a, p*, n*) with the farthest positive
 * p* = argmax_p D(a, p) and the nearest negative n* = argmin_n D(a, n), the anchor in its slot of D (the left one by
 * default, so under an asymmetric D "farthest" means largest D(a, ·)). Returns triplets.
 */
export class BatchHardMiner extends BaseMiner {
  readonly type = 'BatchHardMiner';

  constructor(options: MinerOptions = {}) {
    super('BatchHardMiner', options);
  }

  protected select(ctx: MinerContext): IndicesTuple {
    return selectPerAnchor(ctx, 'hard', 'hard');
  }
}

/** One positive and one negative per anchor, by strategy (shared with `BatchEasyHardMiner`; internal). */
export function selectPerAnchor(
  ctx: MinerContext,
  positive: 'easy' | 'hard',
  negative: 'easy' | 'semihard' | 'hard',
): IndicesTuple {
  const { d, pos, neg } = ctx;
  const p = positive === 'hard' ? tf.argMax(maskFill(d, pos, -BIG), 1) : tf.argMin(maskFill(d, pos, BIG), 1);
  let negMask: tf.Tensor = neg;
  if (negative === 'semihard') {
    const dap = tf.max(tf.where(tf.greater(pos, 0), d, tf.fill(d.shape, -BIG)), 1, true);
    const chosen = positive === 'hard' ? dap : tf.min(maskFill(d, pos, BIG), 1, true);
    negMask = tf.mul(neg, tf.cast(tf.greater(d, chosen), 'float32'));
  }
  const nIdx = negative === 'easy' ? tf.argMax(maskFill(d, negMask, -BIG), 1) : tf.argMin(maskFill(d, negMask, BIG), 1);
  const valid = tf.logicalAnd(tf.greater(tf.sum(pos, 1), 0), tf.greater(tf.sum(negMask, 1), 0));
  const pv = p.dataSync();
  const nv = nIdx.dataSync();
  const ok = valid.dataSync();
  const a: number[] = [];
  const pp: number[] = [];
  const nn: number[] = [];
  for (let i = 0; i < ok.length; i++) {
    if (ok[i]) {
      a.push(i);
      pp.push(pv[i] as number);
      nn.push(nv[i] as number);
    }
  }
  return tripletIndices(a, pp, nn);
}
