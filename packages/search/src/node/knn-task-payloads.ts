import type { DivergenceJSON, QuerySlot } from '@empirical-bregman/bregman-core';
import type { ReductionItem, SharedReduction } from './shared-reduction';

// What crosses the thread boundary between the pool search (calling thread) and its worker task: plain data only.

/** One worker's share of an exact k-NN search under any divergence. */
export interface ExactKnnTaskPayload {
  readonly divergence: DivergenceJSON;
  /** [numQueries · dim] row-major. */
  readonly queries: Float32Array;
  readonly numQueries: number;
  /** [numReferences · dim] row-major, usually in shared memory. */
  readonly references: Float32Array;
  readonly numReferences: number;
  readonly dim: number;
  readonly k: number;
  readonly querySlot: QuerySlot;
  /** The share's first query in the whole search (for error messages). */
  readonly queryStart: number;
  /** Query q of this share is reference q + selfOffset (excluded), or null. */
  readonly selfOffset: number | null;
  readonly queryBlockSize: number;
  readonly referenceBlockSize: number;
}

/** A share's k neighbours per query, row-major (moved back, not copied). */
export interface ExactKnnTaskResult {
  readonly indices: Int32Array;
  readonly distances: Float32Array;
}

/** Phase 1 of the pool's Bregman search: φ and ∇φ of some rows, written into shared memory. */
export interface ReduceRowsTaskPayload extends SharedReduction {
  readonly divergence: DivergenceJSON;
  readonly querySlot: QuerySlot;
  readonly items: readonly ReductionItem[];
}

/** Phase 2 of the pool's Bregman search: a share of the reduced queries against every reduced reference block. */
export interface SearchReducedTaskPayload {
  /** All shared, written by phase 1 (`SharedReduction`). */
  readonly reducedQueries: Float32Array;
  readonly reducedReferences: Float32Array;
  readonly queryNorms: Float32Array;
  readonly referenceNorms: Float32Array;
  readonly width: number;
  readonly queryStart: number;
  readonly numQueries: number;
  readonly numReferences: number;
  readonly k: number;
  readonly excludeSelf: boolean;
  readonly queryBlockSize: number;
  readonly referenceBlockSize: number;
}
