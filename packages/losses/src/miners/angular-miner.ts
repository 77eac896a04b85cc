import * as tf from '@tensorflow/tfjs-core';
import { BaseMiner, type MinerContext, type MinerOptions } from './base-miner';
import { type IndicesTuple, tripletIndices } from '../utils/indices-tuple';
import { LossesError } from '../losses-error';
import { checkNumber, checkPositiveInteger } from '../utils/check-options';
import { queryPairwise } from '../utils/query-pairwise';

export interface AngularMinerOptions extends MinerOptions {
  /** α, the angle threshold in degrees (default 20, PML's). */
  readonly angle?: number;
  /**
   * How many (anchor, positive, negative) candidates to evaluate at once (default 2²² ≈ 4·10⁶: about 16 MB per
   * float32 tensor of a chunk). Anchors are taken in chunks of ⌊chunkCandidates / m²⌋ (at least one), so the memory
   * of a call is bounded by max(chunkCandidates, m²) candidates, whatever n.
   */
  readonly chunkCandidates?: number;
}

/** Default candidates per chunk (2²²). */
const CHUNK_CANDIDATES = 2 ** 22;

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
 * Cost: n·m² candidates (every centre (a + p)/2 against every reference), evaluated in chunks of anchors so that
 * memory stays bounded (`chunkCandidates`); the time still grows as n·m², so more than
 * `AngularMiner.MAX_CANDIDATES` = 2³⁰ ≈ 1.1·10⁹ candidates (e.g. a batch of 64 against a memory of 4,097 or more) is
 * refused with a `LossesError` rather than run for hours: `--miner angular --memory-size 65536 --batch-size 64` would
 * be 2.7·10¹¹.
 */
export class AngularMiner extends BaseMiner {
  /** The most candidates n·m² a call evaluates (2³⁰); more is a `LossesError`. */
  static readonly MAX_CANDIDATES = 2 ** 30;
  readonly type = 'AngularMiner';
  /** α in degrees. */
  readonly angle: number;
  /** Candidates evaluated at once (see `AngularMinerOptions.chunkCandidates`). */
  readonly chunkCandidates: number;

  constructor(options: AngularMinerOptions = {}) {
    super('AngularMiner', options);
    this.angle = checkNumber('AngularMiner', 'angle', options.angle, 20);
    this.chunkCandidates = checkPositiveInteger(
      'AngularMiner',
      'chunkCandidates',
      options.chunkCandidates ?? CHUNK_CANDIDATES,
    );
  }

  private length(d: tf.Tensor): tf.Tensor {
    return this.divergence.type === 'EuclideanDivergence' ? d : tf.sqrt(tf.relu(d));
  }

  protected select(ctx: MinerContext): IndicesTuple {
    const { n, m, dim } = ctx;
    if (n * m * m > AngularMiner.MAX_CANDIDATES) {
      throw new LossesError(
        'AngularMiner.mine',
        'INVALID_ARGUMENT',
        `expected at most ${AngularMiner.MAX_CANDIDATES} candidates n·m² (anchors × references²), got ${n}·${m}² = ${n * m * m}`,
      );
    }
    // arctan(ℓap / 2ℓcn) > α ⇔ ℓap > 2 tan α · ℓcn (α < 90°); with ℓcn = 0 the angle is 90° (if ℓap > 0).
    const tanA = Math.tan((this.angle * Math.PI) / 180);
    const rows = Math.max(1, Math.floor(this.chunkCandidates / (m * m)));
    const a: number[] = [];
    const p: number[] = [];
    const ng: number[] = [];
    const mm = m * m;
    for (let start = 0; start < n; start += rows) {
      const k = Math.min(rows, n - start);
      // One chunk's tensors live only in this tidy (k·m² candidates at a time); the mask is read back after it.
      const keep = tf.tidy(() => {
        const anchors = tf.slice(ctx.embeddings, [start, 0], [k, dim]);
        const centres = tf.reshape(
          tf.div(tf.add(tf.reshape(anchors, [k, 1, dim]), tf.reshape(ctx.reference, [1, m, dim])), 2),
          [k * m, dim],
        ) as tf.Tensor2D;
        const lap = tf.reshape(this.length(tf.slice(ctx.rawD, [start, 0], [k, m])), [k, m, 1]);
        const lcn = tf.reshape(this.length(queryPairwise(this.divergence, this.querySlot, centres, ctx.reference)), [
          k,
          m,
          m,
        ]);
        const wide = this.angle >= 90 ? tf.zeros([k, m, m], 'bool') : tf.greater(lap, tf.mul(lcn, 2 * tanA));
        const pos = tf.slice(ctx.pos, [start, 0], [k, m]);
        const neg = tf.slice(ctx.neg, [start, 0], [k, m]);
        return tf.logicalAnd(
          tf.logicalAnd(tf.greater(tf.reshape(pos, [k, m, 1]), 0), tf.greater(tf.reshape(neg, [k, 1, m]), 0)),
          wide,
        );
      });
      const data = keep.dataSync();
      keep.dispose();
      for (let q = 0; q < data.length; q++) {
        if (data[q]) {
          a.push(start + Math.floor(q / mm));
          p.push(Math.floor((q % mm) / m));
          ng.push(q % m);
        }
      }
    }
    return tripletIndices(a, p, ng);
  }
}
