import * as tf from '@tensorflow/tfjs-core';
import { LossesError } from '../losses-error';
import type { RegularizerTerm } from './base-regularizer';
import { checkNumber } from '../utils/check-options';
import { safePow } from '../utils/safe-pow';
import { BaseRegularizer, type RegularizerOptions } from './base-regularizer';

export interface LpRegularizerOptions extends RegularizerOptions {
  /** p of the norm ‖x‖_p = (Σ_k |x_k|^p)^{1/p} (default 2; any p ≥ 1). */
  readonly p?: number;
  /** The norm is raised to this power (default 1; `p: 2, power: 2` is the squared L2 norm). */
  readonly power?: number;
}

/**
 * Penalises the size of each row (PML's `LpRegularizer`, usually attached as an `embeddingRegularizer`):
 *
 *   r_i = ‖x_i‖_p^power,   reduced over rows (default `MeanReducer`).
 *
 * Computed as (Σ_k |x_ik|^p)^{power/p}, which is smooth where PML's `torch.norm(...)**power` is (and has gradient 0,
 * not NaN, at a zero row).
 *
 * @example
 * const loss = new TripletMarginLoss({ embeddingRegularizer: new LpRegularizer(), embeddingRegWeight: 0.01 });
 */
export class LpRegularizer extends BaseRegularizer {
  readonly type = 'LpRegularizer';
  readonly p: number;
  readonly power: number;

  constructor(options: LpRegularizerOptions = {}) {
    super('LpRegularizer', options);
    this.p = checkNumber('LpRegularizer', 'p', options.p, 2, 'positive');
    if (this.p < 1) {
      throw new LossesError('LpRegularizer', 'INVALID_ARGUMENT', `expected p ≥ 1 (a norm), got ${this.p}`);
    }
    this.power = checkNumber('LpRegularizer', 'power', options.power, 1, 'positive');
  }

  protected terms(rows: tf.Tensor2D): RegularizerTerm {
    const sum = this.p === 2 ? tf.sum(tf.square(rows), 1) : tf.sum(tf.pow(tf.abs(rows), this.p), 1);
    const losses = this.power === this.p ? sum : safePow(sum, this.power / this.p);
    return { losses, mask: tf.onesLike(losses) };
  }
}
