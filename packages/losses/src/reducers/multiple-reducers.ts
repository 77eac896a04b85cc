import { describeValue } from '@empirical-bregman/common';
import type * as tf from '@tensorflow/tfjs-core';
import { LossesError } from '../losses-error';
import { MeanReducer } from './mean-reducer';
import type { Reducer, ReductionInfo } from './reducer';

export interface MultipleReducersOptions {
  /**
   * The reducer of each term, by term index (`reducers[k]` reduces term k, e.g. `ContrastiveLoss` and
   * `IntraPairVarianceLoss`: 0 the positive pairs, 1 the negative pairs); a missing entry uses `defaultReducer`.
   */
  readonly reducers: readonly (Reducer | undefined)[];
  /** The reducer of terms without an entry (default `MeanReducer`). */
  readonly defaultReducer?: Reducer;
}

/**
 * One reducer per loss term (pytorch-metric-learning's `MultipleReducers`). PML keys them by sub-loss name
 * (`pos_loss`, `neg_loss`); here by term index, the order each loss documents.
 *
 *   new ContrastiveLoss({ reducer: new MultipleReducers({ reducers: [new MeanReducer(), new AvgNonZeroReducer()] }) })
 */
export class MultipleReducers implements Reducer {
  readonly type = 'MultipleReducers';
  readonly reducers: readonly (Reducer | undefined)[];
  readonly defaultReducer: Reducer;

  constructor(options: MultipleReducersOptions) {
    const list = (options as Partial<MultipleReducersOptions> | undefined)?.reducers;
    const isReducer = (r: unknown) => typeof (r as Partial<Reducer> | null)?.reduce === 'function';
    if (!Array.isArray(list) || !list.every((r) => r === undefined || isReducer(r))) {
      throw new LossesError(
        'MultipleReducers',
        'INVALID_ARGUMENT',
        `expected reducers as an array of Reducers (or undefined), got ${describeValue(list)}`,
      );
    }
    const fallback = options.defaultReducer ?? new MeanReducer();
    if (!isReducer(fallback)) {
      throw new LossesError(
        'MultipleReducers',
        'INVALID_ARGUMENT',
        `expected defaultReducer to be a Reducer, got ${describeValue(fallback)}`,
      );
    }
    this.reducers = [...list];
    this.defaultReducer = fallback;
  }

  reduce(losses: tf.Tensor, mask: tf.Tensor, info?: ReductionInfo): tf.Scalar {
    const reducer = (info === undefined ? undefined : this.reducers[info.termIndex]) ?? this.defaultReducer;
    return reducer.reduce(losses, mask, info);
  }
}
