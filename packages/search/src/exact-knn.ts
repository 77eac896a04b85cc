import * as tf from '@tensorflow/tfjs-core';
import {
  BregmanMipsReduction,
  type Divergence,
  type QuerySlot,
  bregmanGeneratorOf,
  resolveQuerySlot,
  checkEmbeddings,
} from '@empirical-bregman/bregman-core';
import { describeValue } from '@empirical-bregman/common';
import { heapView } from '@empirical-bregman/zero-copy';
import { checkInteger } from './check-integer';
import type { KnnSearchPool } from './knn-search-pool';
import type { Neighbours } from './neighbours';
import { augmentedQueryRows, augmentedReferenceRows } from './reduced-bregman-vectors';
import { RunningTopK } from './running-top-k';
import { type BlockLoopOptions, searchBlocks } from './search-blocks';
import { SearchError } from './search-error';
import { rowNorms, zeroToleranceScale } from './zero-tolerance';

export interface ExactKnnOptions {
  /** Neighbours to keep per query (≤ the references available to each query). */
  readonly k: number;
  /**
   * The query's slot in D (default `'left'`: D(query, reference); `'right'`: D(reference, query)). Matters for
   * asymmetric divergences only.
   */
  readonly querySlot?: QuerySlot;
  /** @deprecated Use `querySlot` (same values); kept as an alias. Both given must agree. */
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
   * Run the search on a pool of worker threads instead of this thread: a {@link KnnSearchPool}, e.g.
   * `knnPool(workerPool)` from `@empirical-bregman/search/node` around runtime's `WorkerPool`. Results are
   * identical to the in-process search when the workers run the same backend.
   */
  readonly pool?: KnnSearchPool;
  /**
   * The references already reduced for the Bregman fast path (`prepareReferences` of these references, this
   * divergence and this slot): a standing index passes it to every search instead of evaluating φ and ∇φ of all its
   * items per call. Ignored off the fast path; refused when it was made for another slot, generator or size.
   */
  readonly prepared?: PreparedReferences;
}

/**
 * References reduced once for the Bregman fast path of {@link exactKnn}: the (d + 2)-dimensional vectors of
 * `reduced-bregman-vectors` and their norms (for the zero tolerance). Holds one tensor: `dispose()` it.
 */
export interface PreparedReferences {
  readonly generator: object;
  readonly querySlot: QuerySlot;
  readonly count: number;
  readonly vectors: tf.Tensor2D;
  readonly norms: Float32Array;
  dispose(): void;
}

/**
 * Reduces `references` once under a Bregman `divergence` for the query slot `querySlot`, for `exactKnn(…, { prepared })`
 * (an index whose items do not change between searches); null when the divergence has no Bregman generator (its
 * search has nothing to prepare). The caller owns the result.
 *
 * ```ts
 * const prepared = await prepareReferences(divergence, items, 'left');
 * const nn = await exactKnn(divergence, queries, items, { k: 10, prepared: prepared ?? undefined });
 * prepared?.dispose();
 * ```
 */
export async function prepareReferences(
  divergence: Divergence,
  references: tf.Tensor2D,
  querySlot: QuerySlot = 'left',
  referenceBlockSize = DEFAULT_REFERENCE_BLOCK,
): Promise<PreparedReferences | null> {
  const generator = bregmanGeneratorOf(divergence);
  if (generator === null) return null;
  checkEmbeddings('prepareReferences', 'references', references);
  const mips = new BregmanMipsReduction(generator, { querySlot });
  const vectors = reduceInChunks(references, referenceBlockSize, (rows) => augmentedReferenceRows(mips, rows));
  try {
    const referenceNorms = await norms(vectors);
    return {
      generator,
      querySlot,
      count: references.shape[0],
      vectors,
      norms: referenceNorms,
      dispose: () => vectors.dispose(),
    };
  } catch (error) {
    vectors.dispose();
    throw error;
  }
}

/** Default block sizes: a 1024 × 4096 float32 block is 16 MB per intermediate matrix. */
export const DEFAULT_QUERY_BLOCK = 1024;
export const DEFAULT_REFERENCE_BLOCK = 4096;

/**
 * Exact k nearest neighbours under any divergence, computed in blocks of queries × references with a running top-k
 * per query, so memory is O(queryBlockSize · referenceBlockSize + nq · k), never O(nq · nr): 10,000 queries against
 * 60,000 references stay far below 1 GB, where a full matrix alone would take 2.4 GB.
 *
 * Query i's neighbours are the k references j minimising D(Q_i, R_j) (`querySlot: 'left'`) or D(R_j, Q_i)
 * (`querySlot: 'right'`), nearest first; equal divergences are ordered by reference index (smallest first), so the
 * result is deterministic and independent of the block sizes.
 *
 * A Bregman divergence (one whose `bregmanGeneratorOf` is φ) takes the fast path: every block of D is one matMul of
 * (d + 2)-dimensional vectors q̃, r̃ (bregman-core's exact reduction to inner products, see
 * `reduced-bregman-vectors`). There, a D within τ = 2(d + 2)·2⁻²⁴·‖q̃‖‖r̃‖ of 0 (float32 round-off of an exact zero,
 * see `zero-tolerance`) is reported as exactly 0 and ranked as 0, so pairs whose divergence is mathematically 0 (one
 * piece of a max-affine φ) come in index order; on worker pools too. Any other divergence is ranked by the values
 * of its own `pairwise`, as computed.
 *
 * ```ts
 * const nn = await exactKnn(new SquaredEuclideanDivergence(), queries, references, { k: 10 });
 * nn.indices.subarray(0, 10); // the 10 nearest references of query 0
 * ```
 *
 * @param divergence any {@link Divergence}; only `pairwise` (or φ and ∇φ of its generator) is called, inside
 *   `tf.tidy`.
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
    throw new SearchError(
      component,
      'INVALID_SHAPE',
      `expected queries and references of one width, got [${queries.shape.join(', ')}] and [${references.shape.join(', ')}]`,
    );
  }
  if (divergence.dim !== null && divergence.dim !== d) {
    throw new SearchError(
      component,
      'INVALID_SHAPE',
      `expected embeddings of width ${divergence.dim} (the divergence's dim), got width ${d}`,
    );
  }
  const excludeSelf = options.excludeSelf === true;
  if (excludeSelf && nr < nq) {
    throw new SearchError(
      component,
      'INVALID_SHAPE',
      `expected at least as many references as queries with excludeSelf (query i is reference i), got ${nr} references and ${nq} queries`,
    );
  }
  const available = nr - (excludeSelf ? 1 : 0);
  const k = checkInteger(component, 'k', options.k, 1, Math.max(1, available));
  if (k > available) {
    throw new SearchError(component, 'INVALID_ARGUMENT', `expected k ≤ ${available} references, got k = ${k}`);
  }
  const querySlot = resolveQuerySlot(component, options.querySlot, { name: 'queryIn', value: options.queryIn });
  const queryBlockSize = checkInteger(component, 'queryBlockSize', options.queryBlockSize ?? DEFAULT_QUERY_BLOCK, 1);
  const referenceBlockSize = checkInteger(
    component,
    'referenceBlockSize',
    options.referenceBlockSize ?? DEFAULT_REFERENCE_BLOCK,
    1,
  );
  const blocks: BlockLoopOptions = { queryBlockSize, referenceBlockSize, onBlock: options.onBlock };

  if (options.pool !== undefined) {
    // A capability, not a class: any object that can run the search (runtime's bare WorkerPool cannot).
    if (typeof (options.pool as Partial<KnnSearchPool> | null)?.searchKnn !== 'function') {
      throw new SearchError(
        component,
        'INVALID_ARGUMENT',
        `expected pool to be a KnnSearchPool (e.g. knnPool(workerPool) from @empirical-bregman/search/node), got ${describeValue(options.pool)}`,
      );
    }
    return options.pool.searchKnn({ divergence, queries, references, k, querySlot, excludeSelf, ...blocks });
  }
  const top = new RunningTopK(nq, k, excludeSelf ? 0 : null);
  const generator = bregmanGeneratorOf(divergence);
  if (generator !== null) {
    const prepared = options.prepared;
    if (
      prepared !== undefined &&
      (prepared.generator !== generator || prepared.querySlot !== querySlot || prepared.count !== nr)
    )
      throw new SearchError(
        component,
        'INVALID_ARGUMENT',
        `expected prepared references of these ${nr} references, this divergence and slot ${querySlot}, got ones for ${prepared.count} references, slot ${prepared.querySlot}${prepared.generator !== generator ? ' and another generator' : ''}`,
      );
    await searchReducedBlocks(generator, queries, references, querySlot, top, blocks, prepared);
  } else {
    await searchBlocks({ kind: 'pairwise', divergence, querySlot }, queries, references, top, blocks);
  }
  return { numQueries: nq, k, indices: top.indices, distances: top.distances };
}

/**
 * The Bregman fast path: every block of D is ONE matMul of the (d + 2)-dimensional vectors of
 * `reduced-bregman-vectors`. φ and ∇φ are evaluated once per query and per reference instead of once per block, and
 * the broadcast element-wise passes of `pairwise` (slow on wasm: measured 3.2 s vs 0.1 s for the product inside a
 * 5,000² Euclidean block) disappear. Values agree with `pairwise` up to float32 round-off; values within the zero
 * tolerance of 0, negative ones included, become exactly 0 before ranking.
 */
async function searchReducedBlocks(
  generator: BregmanMipsReduction['generator'],
  queries: tf.Tensor2D,
  references: tf.Tensor2D,
  querySlot: QuerySlot,
  top: RunningTopK,
  blocks: BlockLoopOptions,
  prepared?: PreparedReferences,
): Promise<void> {
  const mips = new BregmanMipsReduction(generator, { querySlot });
  const augmentedQueries = reduceInChunks(queries, blocks.queryBlockSize, (rows) => augmentedQueryRows(mips, rows));
  // Prepared references belong to the caller; references reduced here are freed here.
  let own: tf.Tensor2D | undefined;
  try {
    if (!prepared)
      own = reduceInChunks(references, blocks.referenceBlockSize, (rows) => augmentedReferenceRows(mips, rows));
    const augmentedReferences = prepared ? prepared.vectors : own!;
    const zeroTolerance = {
      scale: zeroToleranceScale(augmentedQueries.shape[1]),
      queryNorms: await norms(augmentedQueries),
      referenceNorms: prepared ? prepared.norms : await norms(augmentedReferences),
    };
    await searchBlocks({ kind: 'reduced', zeroTolerance }, augmentedQueries, augmentedReferences, top, blocks);
  } finally {
    tf.dispose([augmentedQueries, ...(own ? [own] : [])]);
  }
}

/** ‖row‖ of each row (what the pool's workers compute from the same values: the same tolerance on both paths). */
async function norms(x: tf.Tensor2D): Promise<Float32Array> {
  const out = new Float32Array(x.shape[0]);
  // In place on the wasm heap where possible (read at once: `rowNorms` is synchronous), else one copy.
  rowNorms(heapView(x) ?? ((await x.data()) as Float32Array), x.shape[0], x.shape[1], out);
  return out;
}

/**
 * `reduce` applied to `x` in chunks of `chunk` rows, concatenated. φ and ∇φ of a learned generator keep hidden
 * activations of every row alive at once, so rows are reduced in chunks of one block: the peak stays at one block's
 * worth whatever the number of items. The caller disposes the result.
 */
function reduceInChunks(x: tf.Tensor2D, chunk: number, reduce: (rows: tf.Tensor2D) => tf.Tensor2D): tf.Tensor2D {
  const parts: tf.Tensor2D[] = [];
  try {
    for (let start = 0; start < x.shape[0]; start += chunk) {
      const rows = Math.min(chunk, x.shape[0] - start);
      parts.push(tf.tidy(() => reduce(tf.slice(x, [start, 0], [rows, x.shape[1]]) as tf.Tensor2D)));
    }
    return tf.concat(parts, 0) as tf.Tensor2D;
  } finally {
    tf.dispose(parts);
  }
}
