import { SeededRandom } from '@empirical-bregman/common';
import { BaseMiner, type MinerContext, type MinerOptions } from './base-miner';
import { type IndicesTuple, tripletIndices } from '../utils/indices-tuple';
import { checkNumber } from '../utils/check-options';

export interface DistanceWeightedMinerOptions extends MinerOptions {
  /** Distances are clipped below at this value before weighting (paper 0.5). */
  readonly cutoff?: number;
  /** Negatives at distance ≥ this are never sampled: their margin loss is zero (paper 1.4). */
  readonly nonzeroLossCutoff?: number;
  /** The distance is d = D̃^power (default 0.5: squared Euclidean → Euclidean, as in the paper). */
  readonly power?: number;
  /** Seed of the sampler (default 0); the sampler advances with every `mine`. */
  readonly seed?: number;
}

/**
 * Distance-weighted sampling (Wu et al. 2017, "Sampling matters in deep embedding learning", ICCV): for every
 * positive pair (a, p), one negative n drawn with probability ∝ 1 / q(d(a, n)), where
 *
 *   q(d) ∝ d^{k−2} (1 − d²/4)^{(k−3)/2}
 *
 * is the density of distances between uniform points on the unit sphere in ℝ^k (k the embedding width), d clipped
 * below at `cutoff`, and negatives with d ≥ `nonzeroLossCutoff` excluded. The density is exact for unit-norm
 * embeddings with the Euclidean distance (SquaredEuclideanDivergence, power ½, scale 'none', the default scale
 * here); for a learned divergence it is a heuristic that still favours spread-out negatives. Returns triplets.
 */
export class DistanceWeightedMiner extends BaseMiner {
  readonly type = 'DistanceWeightedMiner';
  readonly cutoff: number;
  readonly nonzeroLossCutoff: number;
  readonly power: number;
  private readonly rng: SeededRandom;

  constructor(options: DistanceWeightedMinerOptions = {}) {
    super('DistanceWeightedMiner', options, 'none');
    this.cutoff = checkNumber('DistanceWeightedMiner', 'cutoff', options.cutoff, 0.5, 'nonnegative');
    this.nonzeroLossCutoff = checkNumber(
      'DistanceWeightedMiner',
      'nonzeroLossCutoff',
      options.nonzeroLossCutoff,
      1.4,
      'positive',
    );
    this.power = checkNumber('DistanceWeightedMiner', 'power', options.power, 0.5, 'positive');
    this.rng = new SeededRandom(options.seed ?? 0);
  }

  protected select(ctx: MinerContext): IndicesTuple {
    const { n, m, dim } = ctx;
    const d = ctx.d.dataSync();
    const pos = ctx.pos.dataSync();
    const neg = ctx.neg.dataSync();
    const a: number[] = [];
    const pp: number[] = [];
    const nn: number[] = [];
    const logW = new Float64Array(m);
    const w = new Float64Array(m);
    for (let i = 0; i < n; i++) {
      let maxLog = Number.NEGATIVE_INFINITY;
      for (let j = 0; j < m; j++) {
        logW[j] = Number.NEGATIVE_INFINITY;
        if (!(neg[i * m + j]! > 0)) continue;
        const dist = Math.max(Math.max(d[i * m + j]!, 0) ** this.power, this.cutoff);
        if (dist >= this.nonzeroLossCutoff) continue;
        // log(1/q) = −(k−2) log d − ((k−3)/2) log(1 − d²/4), 1 − d²/4 kept positive.
        const inner = Math.max(1 - 0.25 * dist * dist, 1e-8);
        logW[j] = -(dim - 2) * Math.log(Math.max(dist, 1e-12)) - ((dim - 3) / 2) * Math.log(inner);
        if (logW[j]! > maxLog) maxLog = logW[j]!;
      }
      if (maxLog === Number.NEGATIVE_INFINITY) continue;
      let total = 0;
      for (let j = 0; j < m; j++) {
        w[j] = logW[j] === Number.NEGATIVE_INFINITY ? 0 : Math.exp(logW[j]! - maxLog);
        total += w[j]!;
      }
      for (let j = 0; j < m; j++) {
        if (!(pos[i * m + j]! > 0)) continue;
        let u = this.rng.next() * total;
        let pick = -1;
        for (let k = 0; k < m; k++) {
          if (w[k] === 0) continue;
          pick = k;
          u -= w[k]!;
          if (u < 0) break;
        }
        a.push(i);
        pp.push(j);
        nn.push(pick);
      }
    }
    return tripletIndices(a, pp, nn);
  }
}
