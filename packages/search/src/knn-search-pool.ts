import type * as tf from '@tensorflow/tfjs-core';
import type { Divergence, QuerySlot } from '@empirical-bregman/bregman-core';
import type { Neighbours } from './neighbours';

/** One exact k-NN search, validated by `exactKnn`, for a {@link KnnSearchPool} to run. */
export interface KnnSearchRequest {
  readonly divergence: Divergence;
  /** [nq, d] and [nr, d], float32, not to be disposed. */
  readonly queries: tf.Tensor2D;
  readonly references: tf.Tensor2D;
  readonly k: number;
  readonly querySlot: QuerySlot;
  /** Query i is reference i and never its own neighbour. */
  readonly excludeSelf: boolean;
  readonly queryBlockSize: number;
  readonly referenceBlockSize: number;
  /** Progress: called with the shares done and their total. */
  readonly onBlock?: (done: number, total: number) => void;
}

/**
 * Where `exactKnn({ pool })` runs a search instead of the calling thread: an object with the capability to search,
 * injected by the caller. This entry never imports a pool implementation (it stays free of Node built-ins);
 * `knnPool(workerPool)` from `@empirical-bregman/search/node` makes one from runtime's `WorkerPool`.
 */
export interface KnnSearchPool {
  /**
   * The neighbours of `request`, exactly as the in-process search returns them when the workers run the same
   * backend (same order, ties by reference index, same zero tolerance).
   */
  searchKnn(request: KnnSearchRequest): Promise<Neighbours>;
}
