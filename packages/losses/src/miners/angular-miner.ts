import * as tf from '@tensorflow/tfjs-core';
import { BaseMiner, type MinerContext, type MinerOptions } from './base-miner';
import { type IndicesTuple, tripletIndices } from '../utils/indices-tuple';
import { checkNumber } from '../utils/check-options';
import { queryPairwise } from '../utils/query-pairwise';

export interface AngularMinerOptions extends MinerOptions {
  /** α, the angle threshold in degrees (default 20, PML's). */
  readonly angle?: number;
}

/**
 * Triplets whose angle at the negative exceeds α (Wang et al. 2017, "Deep metric learning with angular loss", ICCV;
 * PML's AngularMiner): with the centre c = (a + p)/2 and lengths ℓ,
 *
 *   ∠(a, p, n) = arctan( ℓ(a, p) / (2 ℓ(c, n)) ) > α.
 *
 * Over a divergence, ℓ = √D (D = `EuclideanDivergence` is already a length: ℓ = D). For squared Euclidean D this
 * is PML's Euclidean length; for a Bregman divergence D(x, y) ≈ ½ (x − y)ᵀ∇²φ (x − y) near y, so √(2D) is the
 * length in φ's local metric and the ratio is the angle in that metric (the ½ cancels). The centre takes the
 * anchor's slot: ℓ(c, n) from D(c, n) with `querySlot` 'left'. The ratio does not depend on the scale (unused).
 * Differences from PML: PML normalises the embeddings first (its default `LpDistance`); here the raw embeddings.
 * Memory: one `pairwise` of the n·m centres against the m references.
 */
export class AngularMiner extends BaseMiner {
  readonly type = 'AngularMiner';
  /** α in degrees. */
  readonly angle: number;

  constructor(options: AngularMinerOptions = {}) {
    super('AngularMiner', options);
    this.angle = checkNumber('AngularMiner', 'angle', options.angle, 20);
  }

  private length(d: tf.Tensor): tf.Tensor {
    return this.divergence.type === 'EuclideanDivergence' ? d : tf.sqrt(tf.relu(d));
  }

  protected select(ctx: MinerContext): IndicesTuple {
    const { n, m, dim } = ctx;
    const centres = tf.reshape(
      tf.div(tf.add(tf.reshape(ctx.embeddings, [n, 1, dim]), tf.reshape(ctx.reference, [1, m, dim])), 2),
      [n * m, dim],
    ) as tf.Tensor2D;
    const lap = tf.reshape(this.length(ctx.rawD), [n, m, 1]);
    const lcn = tf.reshape(this.length(queryPairwise(this.divergence, this.querySlot, centres, ctx.reference)), [
      n,
      m,
      m,
    ]);
    // arctan(ℓap / 2ℓcn) > α ⇔ ℓap > 2 tan α · ℓcn (α < 90°); with ℓcn = 0 the angle is 90° (if ℓap > 0).
    const tanA = Math.tan((this.angle * Math.PI) / 180);
    const wide = this.angle >= 90 ? tf.zeros([n, m, m], 'bool') : tf.greater(lap, tf.mul(lcn, 2 * tanA));
    const keep = tf.logicalAnd(
      tf.logicalAnd(tf.greater(tf.reshape(ctx.pos, [n, m, 1]), 0), tf.greater(tf.reshape(ctx.neg, [n, 1, m]), 0)),
      wide,
    );
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
