import * as tf from '@tensorflow/tfjs-core';
import { BregmanDivergence, BregmanMipsReduction, type Divergence } from '@empirical-bregman/bregman-core';
import { describeValue } from '@empirical-bregman/common';
import { checkInteger } from './check-labels';
import { augmentedQueryRows, augmentedReferenceRows } from './reduced-bregman-vectors';
import { EvaluationError } from './evaluation-error';
import { heapView } from './heap-view';
import type { Neighbours } from './neighbours';
import { type KnnWorkerPool, searchBregmanOnPool, searchOnPool } from './search-on-pool';

/** Which slot of D the query takes: `'left'` ranks references by D(q, r), `'right'` by D(r, q). */
export type QuerySlot = 'left' | 'right';

export interface ExactKnnOptions {
  /** Neighbours to keep per query (≤ the references available to each query). */
  readonly k: number;
  /** The query's slot in D (default `'left'`: D(query, reference)). Matters for asymmetric divergences only. */
  readonly queryIn?: QuerySlot;
  /**
   * The references include the queries: query i is reference i and is never its own neighbour (PML's
   * `ref_includes_query`). Excluded by index, so a duplicate of the query elsewhere still counts. Default false.
   */
  readonly excludeSelf?: boolean;
  /** Queries per block (default 1024). Peak memory grows with queryBlockSize · referenceBlockSize. */
  readonly queryBlockSize?: number;
  /** References per block (default 4096). */
  readonly referenceBlockSize?: number;
  /**
   * Called after each block with the number of blocks done and the total (progress bars, memory probes); with a
   * pool, after each finished share of queries.
   */
  readonly onBlock?: (done: number, total: number) => void;
  /**
   * Split the queries across the workers of a pool (runtime's `WorkerPool`, each worker with its own backend). The
   * divergence travels as `toJSON()` and is rebuilt with bregman-core's `divergenceFromJSON`, so its type must be
   * registered there (a Bregman divergence whose generator the workers cannot rebuild is reduced on the calling
   * thread instead). Results are identical to the single-process search when the workers run the same backend.
   */
  readonly pool?: KnnWorkerPool;
  /** The built task module the workers run (default: `exact-knn-task.js` beside this package's build). */
  readonly taskModule?: string;
}

/** Block sizes and the progress callback of the block loop. Internal. */
interface BlockLoopOptions {
  readonly queryBlockSize: number;
  readonly referenceBlockSize: number;
  readonly onBlock?: (done: number, total: number) => void;
}

/** Default block sizes: a 1024 × 4096 float32 block is 16 MB per intermediate matrix. */
export const DEFAULT_QUERY_BLOCK = 1024;
export const DEFAULT_REFERENCE_BLOCK = 4096;

/** Throws unless `x` is a non-empty float32 rank-2 tensor. Internal. */
export function checkEmbeddings(component: string, name: string, x: unknown): tf.Tensor2D {
  if (!(x instanceof tf.Tensor) || x.rank !== 2) {
    throw new EvaluationError(
      component,
      'INVALID_SHAPE',
      `expected ${name} to be a tf.Tensor2D [n, d], got ${describeValue(x)}`,
    );
  }
  if (x.shape[0] === 0 || x.shape[1] === 0) {
    throw new EvaluationError(
      component,
      'INVALID_ARGUMENT',
      `expected ${name} to be non-empty, got ${describeValue(x)}`,
    );
  }
  if (x.dtype !== 'float32') {
    throw new EvaluationError(component, 'INVALID_ARGUMENT', `expected ${name} of dtype float32, got ${x.dtype}`);
  }
  return x as tf.Tensor2D;
}

/**
 * Exact k nearest neighbours under any divergence, computed in blocks of queries × references with a running top-k
 * per query, so memory is O(queryBlockSize · referenceBlockSize + nq · k), never O(nq · nr): 10,000 queries against
 * 60,000 references stay far below 1 GB, where a full matrix alone would take 2.4 GB.
 *
 * Query i's neighbours are the k references j minimising D(Q_i, R_j) (`queryIn: 'left'`) or D(R_j, Q_i)
 * (`queryIn: 'right'`), nearest first; equal divergences are ordered by reference index (smallest first), so the
 * result is deterministic and independent of the block sizes.
 *
 * ```ts
 * const nn = await exactKnn(new SquaredEuclideanDivergence(), queries, references, { k: 10 });
 * nn.indices.subarray(0, 10); // the 10 nearest references of query 0
 * ```
 *
 * @param divergence any {@link Divergence}; only `pairwise` is called (inside `tf.tidy`).
 * @param queries [nq, d], not disposed.
 * @param references [nr, d], not disposed.
 * @returns plain arrays (no tensors to dispose); throws `NON_FINITE` if D is NaN anywhere.
 */
export async function exactKnn(
  divergence: Divergence,
  queries: tf.Tensor2D,
  references: tf.Tensor2D,
  options: ExactKnnOptions,
): Promise<Neighbours> {
  const component = 'exactKnn';
  checkEmbeddings(component, 'queries', queries);
  checkEmbeddings(component, 'references', references);
  const [nq, d] = queries.shape;
  const nr = references.shape[0];
  if (references.shape[1] !== d) {
    throw new EvaluationError(
      component,
      'INVALID_SHAPE',
      `expected queries and references of one width, got [${queries.shape.join(', ')}] and [${references.shape.join(', ')}]`,
    );
  }
  if (divergence.dim !== null && divergence.dim !== d) {
    throw new EvaluationError(
      component,
      'INVALID_SHAPE',
      `expected embeddings of width ${divergence.dim} (the divergence's dim), got width ${d}`,
    );
  }
  const excludeSelf = options.excludeSelf === true;
  if (excludeSelf && nr < nq) {
    throw new EvaluationError(
      component,
      'INVALID_SHAPE',
      `expected at least as many references as queries with excludeSelf (query i is reference i), got ${nr} references and ${nq} queries`,
    );
  }
  const available = nr - (excludeSelf ? 1 : 0);
  const k = checkInteger(component, 'k', options.k, 1, Math.max(1, available));
  if (k > available) {
    throw new EvaluationError(component, 'INVALID_ARGUMENT', `expected k ≤ ${available} references, got k = ${k}`);
  }
  const queryIn = options.queryIn ?? 'left';
  if (queryIn !== 'left' && queryIn !== 'right') {
    throw new EvaluationError(
      component,
      'INVALID_ARGUMENT',
      `expected queryIn 'left' or 'right', got ${describeValue(queryIn)}`,
    );
  }
  const qb = checkInteger(component, 'queryBlockSize', options.queryBlockSize ?? DEFAULT_QUERY_BLOCK, 1);
  const rb = checkInteger(component, 'referenceBlockSize', options.referenceBlockSize ?? DEFAULT_REFERENCE_BLOCK, 1);

  const blocks = { queryBlockSize: qb, referenceBlockSize: rb, onBlock: options.onBlock };
  if (options.pool !== undefined) {
    if (divergence instanceof BregmanDivergence)
      return searchBregmanOnPool(options.pool, options.taskModule, divergence, queries, references, {
        k,
        queryIn,
        excludeSelf,
        ...blocks,
      });
    return searchOnPool(options.pool, options.taskModule, divergence, queries, references, {
      k,
      queryIn,
      excludeSelf,
      ...blocks,
    });
  }
  const top = new RunningTopK(nq, k, excludeSelf ? 0 : null);
  if (divergence instanceof BregmanDivergence) {
    await searchBregmanBlocks(divergence, queries, references, queryIn, top, blocks);
  } else {
    await searchBlocks(divergence, queries, references, queryIn, top, blocks);
  }
  return { numQueries: nq, k, indices: top.indices, distances: top.distances };
}

/**
 * The Bregman fast path: every block of D is ONE matMul of the (d + 2)-dimensional vectors of
 * `reduced-bregman-vectors`. φ and ∇φ are evaluated once per query and per
 * reference instead of once per block, and the broadcast element-wise passes of `pairwise` (slow on wasm:
 * measured 3.2 s vs 0.1 s for the product inside a 5,000² Euclidean block) disappear. Values agree with `pairwise`
 * up to float32 round-off; slightly negative values are clamped at 0 in the results, as `pairwise` does.
 */
async function searchBregmanBlocks(
  divergence: BregmanDivergence,
  queries: tf.Tensor2D,
  references: tf.Tensor2D,
  queryIn: QuerySlot,
  top: RunningTopK,
  blocks: BlockLoopOptions,
): Promise<void> {
  const { augmentedQueries, augmentedReferences } = reduceForBlocks(
    divergence,
    queries,
    references,
    queryIn,
    blocks.queryBlockSize,
    blocks.referenceBlockSize,
  );
  try {
    await searchBlocks(null, augmentedQueries, augmentedReferences, 'left', top, blocks);
  } finally {
    tf.dispose([augmentedQueries, augmentedReferences]);
  }
  top.clampBelow(0);
}

/**
 * The (d + 2)-dimensional vectors whose plain product is D (see `searchBregmanBlocks`): [−u(q); offset(q)] per query
 * and [v(y); 1] per reference. φ and ∇φ of a learned generator keep hidden activations of every row alive at once,
 * so rows are reduced in chunks of one block: the peak stays at one block's worth whatever the number of items.
 * Internal; the caller disposes both.
 */
function reduceForBlocks(
  divergence: BregmanDivergence,
  queries: tf.Tensor2D,
  references: tf.Tensor2D,
  queryIn: QuerySlot,
  queryBlockSize: number,
  referenceBlockSize: number,
): { augmentedQueries: tf.Tensor2D; augmentedReferences: tf.Tensor2D } {
  const mips = new BregmanMipsReduction(divergence.generator, { querySlot: queryIn });
  const reduceInChunks = (x: tf.Tensor2D, chunk: number, side: 'query' | 'reference'): tf.Tensor2D => {
    const parts: tf.Tensor2D[] = [];
    for (let start = 0; start < x.shape[0]; start += chunk) {
      const rows = Math.min(chunk, x.shape[0] - start);
      parts.push(
        tf.tidy(() => {
          const slice = tf.slice(x, [start, 0], [rows, x.shape[1]]) as tf.Tensor2D;
          return side === 'reference' ? augmentedReferenceRows(mips, slice) : augmentedQueryRows(mips, slice);
        }),
      );
    }
    const out = tf.concat(parts, 0) as tf.Tensor2D;
    tf.dispose(parts);
    return out;
  };
  const augmentedQueries = reduceInChunks(queries, queryBlockSize, 'query');
  try {
    return { augmentedQueries, augmentedReferences: reduceInChunks(references, referenceBlockSize, 'reference') };
  } catch (error) {
    augmentedQueries.dispose();
    throw error;
  }
}

/** The block loop: feeds every query block × reference block of D to `top`. Internal (shared with the worker task). */
export async function searchBlocks(
  /** null: the blocks are plain products Q·Rᵀ of already reduced vectors (see `searchBregmanBlocks`). */
  divergence: Divergence | null,
  queries: tf.Tensor2D,
  references: tf.Tensor2D,
  queryIn: QuerySlot,
  top: RunningTopK,
  blocks: BlockLoopOptions,
): Promise<void> {
  const [nq, d] = queries.shape;
  const nr = references.shape[0];
  const qb = blocks.queryBlockSize;
  const rb = blocks.referenceBlockSize;
  const referenceBlocks: tf.Tensor2D[] = [];
  try {
    for (let r0 = 0; r0 < nr; r0 += rb) {
      // Reduced vectors are stored transposed once, so each block is a flag-free matMul.
      referenceBlocks.push(
        tf.tidy(() => {
          const block = tf.slice(references, [r0, 0], [Math.min(rb, nr - r0), d]);
          return divergence === null ? (tf.transpose(block) as tf.Tensor2D) : block;
        }),
      );
    }
    const totalBlocks = Math.ceil(nq / qb) * referenceBlocks.length;
    let doneBlocks = 0;
    let lastYield = performance.now();
    for (let q0 = 0; q0 < nq; q0 += qb) {
      const bq = Math.min(qb, nq - q0);
      const queryBlock = tf.slice(queries, [q0, 0], [bq, d]);
      try {
        for (let b = 0; b < referenceBlocks.length; b++) {
          const refBlock = referenceBlocks[b];
          const br = divergence === null ? refBlock.shape[1] : refBlock.shape[0];
          const matrix = tf.tidy(() =>
            divergence === null
              ? tf.matMul(queryBlock, refBlock)
              : queryIn === 'left'
                ? divergence.pairwise(queryBlock, refBlock)
                : divergence.pairwise(refBlock, queryBlock),
          );
          try {
            const values = heapView(matrix) ?? ((await matrix.data()) as Float32Array);
            if (queryIn === 'left') top.scanRowsAreQueries(values, q0, bq, b * rb, br);
            else top.scanRowsAreReferences(values, q0, bq, b * rb, br);
          } finally {
            matrix.dispose();
          }
          blocks.onBlock?.(++doneBlocks, totalBlocks);
          // Let timers and I/O run now and then: a long search must not freeze the process.
          if (performance.now() - lastYield > 100) {
            await yieldToEventLoop();
            lastYield = performance.now();
          }
        }
      } finally {
        queryBlock.dispose();
      }
    }
  } finally {
    for (const t of referenceBlocks) t.dispose();
  }
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * k smallest (value, index) pairs per query, sorted, lexicographic order (ties → smaller index). References must be
 * offered to each query in increasing index order, which makes "equal value" mean "larger index, goes after".
 * Internal, exported for the worker task.
 *
 * Why buffered: MAP@R needs k = R (the class size, ~1,000 on MNIST), where an insertion-sorted list costs O(k) per
 * accepted candidate (measured: 30 s for 5,000 × 5,000). Here each query keeps an unsorted buffer of 2k candidates
 * below its current threshold; when the buffer is full it is sorted once and cut back to the k best, which sets a
 * tighter threshold. A scan is then O(1) per candidate, plus O(k log k) per compaction, of which there are about
 * ln(n / k) + 1 per query. Memory stays O(nq · k).
 */
export class RunningTopK {
  /** Current k-th value per query (+∞ until the first compaction). */
  private readonly threshold: Float32Array;
  private readonly count: Int32Array;
  /** Per query: how many of its leading candidates are in order (the survivors of its last compaction). */
  private readonly sorted: Int32Array;
  private readonly scratchValues: Float32Array;
  private readonly scratchIndices: Int32Array;
  private readonly capacity: number;
  private readonly bufferValues: Float32Array;
  private readonly bufferIndices: Int32Array;
  private result: { indices: Int32Array; distances: Float32Array } | null = null;

  /**
   * @param selfOffset when not null, query q (0-based here) is reference q + selfOffset and never its own neighbour.
   * @param queryOffset added to q in error messages (a worker's share starts at this query of the whole search).
   */
  constructor(
    readonly numQueries: number,
    readonly k: number,
    private readonly selfOffset: number | null,
    private readonly queryOffset = 0,
  ) {
    this.capacity = 2 * k;
    this.threshold = new Float32Array(numQueries).fill(Number.POSITIVE_INFINITY);
    this.count = new Int32Array(numQueries);
    this.sorted = new Int32Array(numQueries);
    this.scratchValues = new Float32Array(this.capacity);
    this.scratchIndices = new Int32Array(this.capacity);
    this.bufferValues = new Float32Array(numQueries * this.capacity);
    this.bufferIndices = new Int32Array(numQueries * this.capacity);
  }

  /** Neighbour indices, nearest first, `numQueries × k` (−1 where fewer than k references exist). */
  get indices(): Int32Array {
    return this.finish().indices;
  }

  /** Divergences matching `indices` (+∞ where there is no neighbour). */
  get distances(): Float32Array {
    return this.finish().distances;
  }

  /** values[a·br + b] = D for query q0 + a and reference r0 + b. */
  scanRowsAreQueries(values: Float32Array, q0: number, bq: number, r0: number, br: number): void {
    const thresholds = this.threshold;
    for (let a = 0; a < bq; a++) {
      const q = q0 + a;
      const row = a * br;
      // The threshold in a local: it only changes when a candidate is offered (this loop is most of a search's
      // JavaScript time: 4M comparisons per 1024 × 4096 block).
      let threshold = thresholds[q]!;
      for (let b = 0; b < br; b++) {
        const v = values[row + b]!;
        // `!(v >= threshold)` is true for NaN too, so NaN reaches `offer`, which reports it.
        if (!(v >= threshold)) {
          this.offer(q, r0 + b, v);
          threshold = thresholds[q]!;
        }
      }
    }
  }

  /** values[b·bq + a] = D for reference r0 + b and query q0 + a. */
  scanRowsAreReferences(values: Float32Array, q0: number, bq: number, r0: number, br: number): void {
    const thresholds = this.threshold;
    for (let b = 0; b < br; b++) {
      const row = b * bq;
      for (let a = 0; a < bq; a++) {
        const v = values[row + a]!;
        const q = q0 + a;
        if (!(v >= thresholds[q]!)) this.offer(q, r0 + b, v);
      }
    }
  }

  /** Adds (v, j) to query q's candidates (v is below the threshold, or NaN). */
  private offer(q: number, j: number, v: number): void {
    if (Number.isNaN(v)) {
      throw new EvaluationError(
        'exactKnn',
        'NON_FINITE',
        `expected finite divergences, got NaN for query ${q + this.queryOffset} and reference ${j}`,
      );
    }
    if (this.selfOffset !== null && j === q + this.selfOffset) return;
    this.result = null;
    const at = q * this.capacity + this.count[q]!;
    this.bufferValues[at] = v;
    this.bufferIndices[at] = j;
    this.count[q]!++;
    if (this.count[q] === this.capacity) this.compact(q);
  }

  /**
   * Sorts query q's candidates lexicographically and keeps the k best; returns how many remain. The first
   * `sorted[q]` candidates are already in order (the survivors of the last compaction): only the new ones are
   * sorted, then the two runs are merged into scratch memory. No allocation per call: on a first block, where every
   * query compacts several times, allocating index arrays took ~60 ms per 1024 × 4096 block against ~5 ms for the
   * scan itself.
   */
  private compact(q: number): number {
    const base = q * this.capacity;
    const n = this.count[q]!;
    const vals = this.bufferValues;
    const idx = this.bufferIndices;
    const mid = base + this.sorted[q]!;
    const end = base + n;
    sortCandidates(vals, idx, mid, end);
    const keep = Math.min(this.k, n);
    const outValues = this.scratchValues;
    const outIndices = this.scratchIndices;
    let i = base;
    let j = mid;
    for (let o = 0; o < keep; o++) {
      // Take from the first run unless the second run's head is strictly before it (value, then index).
      const fromFirst = j >= end || (i < mid && (vals[i]! < vals[j]! || (vals[i] === vals[j] && idx[i]! < idx[j]!)));
      const from = fromFirst ? i++ : j++;
      outValues[o] = vals[from]!;
      outIndices[o] = idx[from]!;
    }
    vals.set(outValues.subarray(0, keep), base);
    idx.set(outIndices.subarray(0, keep), base);
    this.count[q] = keep;
    this.sorted[q] = keep;
    // Only a full top k bounds what can still enter; a later equal value has a larger index and loses the tie.
    if (keep === this.k) this.threshold[q] = vals[base + keep - 1]!;
    return keep;
  }

  /** Raises every kept distance below `floor` to it (float round-off of an exact rewriting of D). */
  clampBelow(floor: number): void {
    const { distances } = this.finish();
    for (let i = 0; i < distances.length; i++) if (distances[i]! < floor) distances[i] = floor;
  }

  private finish(): { indices: Int32Array; distances: Float32Array } {
    if (this.result) return this.result;
    const indices = new Int32Array(this.numQueries * this.k).fill(-1);
    const distances = new Float32Array(this.numQueries * this.k).fill(Number.POSITIVE_INFINITY);
    for (let q = 0; q < this.numQueries; q++) {
      const keep = this.compact(q);
      indices.set(this.bufferIndices.subarray(q * this.capacity, q * this.capacity + keep), q * this.k);
      distances.set(this.bufferValues.subarray(q * this.capacity, q * this.capacity + keep), q * this.k);
    }
    this.result = { indices, distances };
    return this.result;
  }
}

/** Runs up to this length are insertion-sorted; longer ones are quicksorted down to it. */
const INSERTION_SORT_MAX = 24;

/** Whether candidate a goes before candidate b: smaller value, then smaller index. */
function before(vals: Float32Array, idx: Int32Array, a: number, b: number): boolean {
  return vals[a]! < vals[b]! || (vals[a] === vals[b] && idx[a]! < idx[b]!);
}

function swap(vals: Float32Array, idx: Int32Array, a: number, b: number): void {
  const v = vals[a]!;
  vals[a] = vals[b]!;
  vals[b] = v;
  const j = idx[a]!;
  idx[a] = idx[b]!;
  idx[b] = j;
}

/**
 * Sorts the candidates in [start, end) of the parallel arrays by value, then index, in place: quicksort (median of
 * three) down to short runs, then insertion sort. No allocation, unlike sorting an index array with a comparator.
 */
function sortCandidates(vals: Float32Array, idx: Int32Array, start: number, end: number): void {
  while (end - start > INSERTION_SORT_MAX) {
    const mid = start + ((end - start) >> 1);
    const last = end - 1;
    // Median of three: order start, mid, last; the median moves to last − 1 as the pivot, start and last are sentinels.
    if (before(vals, idx, mid, start)) swap(vals, idx, mid, start);
    if (before(vals, idx, last, start)) swap(vals, idx, last, start);
    if (before(vals, idx, last, mid)) swap(vals, idx, last, mid);
    swap(vals, idx, mid, last - 1);
    const pivot = last - 1;
    let i = start;
    let j = pivot;
    for (;;) {
      while (before(vals, idx, ++i, pivot));
      while (before(vals, idx, pivot, --j));
      if (i >= j) break;
      swap(vals, idx, i, j);
    }
    swap(vals, idx, i, pivot);
    // Recurse into the smaller side, loop on the larger: stack depth stays O(log n).
    if (i - start < end - i - 1) {
      sortCandidates(vals, idx, start, i);
      start = i + 1;
    } else {
      sortCandidates(vals, idx, i + 1, end);
      end = i;
    }
  }
  for (let a = start + 1; a < end; a++) {
    const v = vals[a]!;
    const j = idx[a]!;
    let b = a - 1;
    while (b >= start && (vals[b]! > v || (vals[b] === v && idx[b]! > j))) {
      vals[b + 1] = vals[b]!;
      idx[b + 1] = idx[b]!;
      b--;
    }
    vals[b + 1] = v;
    idx[b + 1] = j;
  }
}
