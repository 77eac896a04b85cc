import * as tf from '@tensorflow/tfjs-core';
import type { Divergence } from '@empirical-bregman/bregman-core';
import { describeValue } from '@empirical-bregman/common';
import { checkInteger } from './check-labels';
import { EvaluationError } from './evaluation-error';
import type { Neighbours } from './neighbours';
import { type KnnWorkerPool, searchOnPool } from './search-on-pool';

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
   * registered there. Results are identical to the single-process search.
   */
  readonly pool?: KnnWorkerPool;
  /** The built task module the workers run (default: `exact-knn-task.js` beside this package's build). */
  readonly taskModule?: string;
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
    return searchOnPool(options.pool, options.taskModule, divergence, queries, references, {
      k,
      queryIn,
      excludeSelf,
      ...blocks,
    });
  }
  const top = new RunningTopK(nq, k, excludeSelf ? 0 : null);
  await searchBlocks(divergence, queries, references, queryIn, top, blocks);
  return { numQueries: nq, k, indices: top.indices, distances: top.distances };
}

/** The block loop: feeds every query block × reference block of D to `top`. Internal (shared with the worker task). */
export async function searchBlocks(
  divergence: Divergence,
  queries: tf.Tensor2D,
  references: tf.Tensor2D,
  queryIn: QuerySlot,
  top: RunningTopK,
  blocks: { queryBlockSize: number; referenceBlockSize: number; onBlock?: (done: number, total: number) => void },
): Promise<void> {
  const [nq, d] = queries.shape;
  const nr = references.shape[0];
  const qb = blocks.queryBlockSize;
  const rb = blocks.referenceBlockSize;
  const referenceBlocks: tf.Tensor2D[] = [];
  try {
    for (let r0 = 0; r0 < nr; r0 += rb) {
      referenceBlocks.push(tf.slice(references, [r0, 0], [Math.min(rb, nr - r0), d]));
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
          const br = refBlock.shape[0];
          const matrix = tf.tidy(() =>
            queryIn === 'left' ? divergence.pairwise(queryBlock, refBlock) : divergence.pairwise(refBlock, queryBlock),
          );
          let values: Float32Array;
          try {
            values = (await matrix.data()) as Float32Array;
          } finally {
            matrix.dispose();
          }
          if (queryIn === 'left') top.scanRowsAreQueries(values, q0, bq, b * rb, br);
          else top.scanRowsAreReferences(values, q0, bq, b * rb, br);
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
 */
export class RunningTopK {
  readonly indices: Int32Array;
  readonly distances: Float32Array;
  /** Current k-th value per query (+∞ while fewer than k are held). */
  private readonly threshold: Float32Array;
  private readonly filled: Uint8Array;

  /**
   * @param selfOffset when not null, query q (0-based here) is reference q + selfOffset and never its own neighbour.
   */
  constructor(
    readonly numQueries: number,
    readonly k: number,
    private readonly selfOffset: number | null,
  ) {
    this.indices = new Int32Array(numQueries * k).fill(-1);
    this.distances = new Float32Array(numQueries * k).fill(Number.POSITIVE_INFINITY);
    this.threshold = new Float32Array(numQueries).fill(Number.POSITIVE_INFINITY);
    this.filled = new Uint8Array(numQueries);
  }

  /** values[a·br + b] = D for query q0 + a and reference r0 + b. */
  scanRowsAreQueries(values: Float32Array, q0: number, bq: number, r0: number, br: number): void {
    for (let a = 0; a < bq; a++) {
      const q = q0 + a;
      const row = a * br;
      let thr = this.threshold[q];
      for (let b = 0; b < br; b++) {
        const v = values[row + b];
        if (!(v >= thr) || this.filled[q] === 0) {
          if (this.offer(q, r0 + b, v)) thr = this.threshold[q];
        }
      }
    }
  }

  /** values[b·bq + a] = D for reference r0 + b and query q0 + a. */
  scanRowsAreReferences(values: Float32Array, q0: number, bq: number, r0: number, br: number): void {
    const thr = this.threshold;
    for (let b = 0; b < br; b++) {
      const row = b * bq;
      for (let a = 0; a < bq; a++) {
        const v = values[row + a];
        const q = q0 + a;
        // `!(v >= thr)` is also true for NaN, which `offer` reports.
        if (!(v >= thr[q]) || this.filled[q] === 0) this.offer(q, r0 + b, v);
      }
    }
  }

  /** Inserts (v, j) for query q if it belongs to the top k; returns whether it did. */
  private offer(q: number, j: number, v: number): boolean {
    if (Number.isNaN(v)) {
      throw new EvaluationError(
        'exactKnn',
        'NON_FINITE',
        `expected finite divergences, got NaN for query ${q} and reference ${j}`,
      );
    }
    if (this.selfOffset !== null && j === q + this.selfOffset) return false;
    const base = q * this.k;
    let p = base + this.k - 1;
    const idx = this.indices;
    const dist = this.distances;
    while (p > base && (idx[p - 1] < 0 || dist[p - 1] > v)) {
      idx[p] = idx[p - 1];
      dist[p] = dist[p - 1];
      p--;
    }
    idx[p] = j;
    dist[p] = v;
    const last = base + this.k - 1;
    if (idx[last] >= 0) {
      this.filled[q] = 1;
      this.threshold[q] = dist[last];
    }
    return true;
  }
}
