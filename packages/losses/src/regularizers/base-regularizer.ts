import * as tf from '@tensorflow/tfjs-core';
import { describeValue } from '@empirical-bregman/common';
import { LossesError } from '../losses-error';
import type { LossTerm } from '../losses/metric-loss';
import { MeanReducer } from '../reducers/mean-reducer';
import type { Reducer } from '../reducers/reducer';
import { checkEmbeddings } from '../utils/labels';
import type { Regularizer } from './regularizer';

/** A regularizer's per-element penalties and their mask (same shape); rows of weights have no anchors. */
export type RegularizerTerm = Pick<LossTerm, 'losses' | 'mask'>;

/** Options every regularizer shares. */
export interface RegularizerOptions {
  /** How the per-row (or per-pair) penalties become one number. Default `MeanReducer`, as in PML. */
  readonly reducer?: Reducer;
}

/**
 * The base of the regularizers (PML's `BaseRegularizer`): a subclass returns per-element penalties and their mask
 * from `terms(rows)`; the base checks the rows at the boundary, reduces with the reducer, and keeps every
 * intermediate tensor inside one tidy.
 */
export abstract class BaseRegularizer implements Regularizer {
  abstract readonly type: string;
  readonly reducer: Reducer;

  protected constructor(component: string, options: RegularizerOptions | undefined) {
    if (options !== undefined && (options === null || typeof options !== 'object')) {
      throw new LossesError(component, 'INVALID_ARGUMENT', `expected an options object, got ${describeValue(options)}`);
    }
    const reducer = options?.reducer ?? new MeanReducer();
    if (typeof (reducer as Partial<Reducer>)?.reduce !== 'function') {
      throw new LossesError(component, 'INVALID_ARGUMENT', `expected a Reducer, got ${describeValue(reducer)}`);
    }
    this.reducer = reducer;
  }

  /** Per-element penalties with their mask (called inside a tidy, with checked rows). */
  protected abstract terms(rows: tf.Tensor2D): RegularizerTerm;

  /** Throws unless the rows suit this regularizer (beyond rank 2 float32); default: any rows. */
  protected checkRows(_component: string, _rows: tf.Tensor2D): void {}

  compute(rows: tf.Tensor2D): tf.Scalar {
    const component = `${this.type}.compute`;
    checkEmbeddings(component, rows, 'rows');
    this.checkRows(component, rows);
    return tf.tidy(() => {
      const { losses, mask } = this.terms(rows);
      return this.reducer.reduce(losses, mask);
    });
  }
}
