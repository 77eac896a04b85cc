/**
 * The k nearest references of each query, nearest first, in flat row-major arrays: for query i and rank r
 * (0-based), `indices[i·k + r]` is the reference index and `distances[i·k + r]` the divergence of that pair (in the
 * slot order the search used). Equal divergences are ordered by reference index, smallest first.
 */
export interface Neighbours {
  /** Number of queries. */
  readonly numQueries: number;
  /** Neighbours kept per query. */
  readonly k: number;
  /** Reference indices: [numQueries · k]. */
  readonly indices: Int32Array;
  /** Divergence values: [numQueries · k]. */
  readonly distances: Float32Array;
}
