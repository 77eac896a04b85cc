import * as tf from '@tensorflow/tfjs-core';
import { CosineDivergence } from '@empirical-bregman/bregman-core';
import { LossesError } from '../losses-error';
import type { RegularizerTerm } from './base-regularizer';
import { checkPositiveInteger } from '../utils/check-options';
import { safePow } from '../utils/safe-pow';
import { BaseRegularizer, type RegularizerOptions } from './base-regularizer';

export interface SparseCentersRegularizerOptions extends RegularizerOptions {
  /** C, the number of classes. */
  readonly numClasses: number;
  /** K > 1, the centers of each class; the rows are C·K centers, row c·K + k the k-th center of class c. */
  readonly centersPerClass: number;
}

/**
 * Merges the centers of each class that are not needed (PML's `SparseCentersRegularizer`, the regularizer of
 * SoftTriple: Qian et al. 2019, "SoftTriple loss: deep metric learning without triplet sampling", ICCV, eq. 9):
 *
 *   R = Σ_c Σ_{s<t} ‖ŵ_c^s − ŵ_c^t‖ / (C·K·(K − 1)),   ‖ŵ^s − ŵ^t‖ = √(2 − 2 cos(w^s, w^t)),
 *
 * the chord between two centers of a class on the unit sphere (a group-lasso that lets centers collapse). Elements
 * are the C·K(K−1)/2 pairs s < t of a class, each ½‖ŵ^s − ŵ^t‖: the default `MeanReducer` then gives R exactly (PML
 * gets the same number with a DivisorReducer over the full chords). Attach it as the `weightRegularizer` of a
 * `SoftTripleLoss` with the same C and K.
 *
 * @example
 * const regularizer = new SparseCentersRegularizer({ numClasses: 10, centersPerClass: 10 });
 * const loss = new SoftTripleLoss({ numClasses: 10, embeddingDim: 64, weightRegularizer: regularizer, weightRegWeight: 0.2 });
 */
export class SparseCentersRegularizer extends BaseRegularizer {
  readonly type = 'SparseCentersRegularizer';
  readonly numClasses: number;
  readonly centersPerClass: number;
  private readonly cosine = new CosineDivergence();

  constructor(options: SparseCentersRegularizerOptions) {
    super('SparseCentersRegularizer', options);
    this.numClasses = checkPositiveInteger('SparseCentersRegularizer', 'numClasses', options?.numClasses);
    const k = checkPositiveInteger('SparseCentersRegularizer', 'centersPerClass', options.centersPerClass);
    if (k < 2) {
      throw new LossesError(
        'SparseCentersRegularizer',
        'INVALID_ARGUMENT',
        `expected centersPerClass > 1 (one center has nothing to merge with), got ${k}`,
      );
    }
    this.centersPerClass = k;
  }

  protected override checkRows(component: string, rows: tf.Tensor2D): void {
    const expected = this.numClasses * this.centersPerClass;
    if (rows.shape[0] !== expected) {
      throw new LossesError(
        component,
        'INVALID_SHAPE',
        `expected ${expected} rows (numClasses ${this.numClasses} × centersPerClass ${this.centersPerClass}), got ${rows.shape[0]}`,
      );
    }
  }

  protected terms(rows: tf.Tensor2D): RegularizerTerm {
    const total = rows.shape[0];
    const k = this.centersPerClass;
    const d = this.cosine.pairwise(rows, rows); // 1 − cos, so 2 − 2cos = 2D
    const chord = safePow(tf.mul(2, d), 0.5);
    // Same class (row r belongs to class ⌊r/K⌋) and s < t.
    const cls = tf.floorDiv(tf.range(0, total, 1, 'int32'), tf.scalar(k, 'int32'));
    const same = tf.equal(tf.reshape(cls, [total, 1]), tf.reshape(cls, [1, total]));
    const upper = tf.greater(
      tf.reshape(tf.range(0, total, 1, 'int32'), [1, total]),
      tf.reshape(tf.range(0, total, 1, 'int32'), [total, 1]),
    );
    const mask = tf.cast(tf.logicalAnd(same, upper), 'float32');
    return { losses: tf.mul(0.5, chord), mask };
  }
}
