import type * as tf from '@tensorflow/tfjs-core';
import { BregmanMipsReduction } from '@empirical-bregman/bregman-core';
import { heapView } from '@empirical-bregman/zero-copy';
import type { KnnSearchRequest } from '../knn-search-pool';
import type { Neighbours } from '../neighbours';
import type {
  ExactKnnTaskPayload,
  ExactKnnTaskResult,
  ReduceRowsTaskPayload,
  SearchReducedTaskPayload,
} from './knn-task-payloads';
import { type ReductionItem, type SharedReduction, reduceItems } from './shared-reduction';
import type { WorkerPoolLike } from './worker-pool-like';

/**
 * The values of a tensor copied into shared memory, which every worker reads without a copy per worker. Straight
 * from the wasm heap where possible: a 60k × 128 `data()` first makes a fresh 31 MB array.
 */
async function sharedCopy(x: tf.Tensor): Promise<Float32Array> {
  const shared = new Float32Array(new SharedArrayBuffer(x.size * 4));
  shared.set(heapView(x) ?? ((await x.data()) as Float32Array));
  return shared;
}

/**
 * Contiguous query shares: at most a query block each, and at least one per worker when there are that many
 * queries. Several small shares per worker, handed out as workers free up, balance a worker slowed by its host.
 */
function queryShares(nq: number, workers: number, queryBlockSize: number): Array<{ start: number; size: number }> {
  const perShare = Math.max(1, Math.min(queryBlockSize, Math.ceil(nq / workers)));
  const shares: Array<{ start: number; size: number }> = [];
  for (let start = 0; start < nq; start += perShare) shares.push({ start, size: Math.min(perShare, nq - start) });
  return shares;
}

/** Runs one task per share and writes each share's k neighbours at its place in the result. */
async function collectShares(
  shares: Array<{ start: number; size: number }>,
  nq: number,
  params: KnnSearchRequest,
  run: (share: { start: number; size: number }) => Promise<ExactKnnTaskResult>,
): Promise<Neighbours> {
  const indices = new Int32Array(nq * params.k);
  const distances = new Float32Array(nq * params.k);
  let done = 0;
  await Promise.all(
    shares.map((share) =>
      run(share).then((result) => {
        indices.set(result.indices, share.start * params.k);
        distances.set(result.distances, share.start * params.k);
        params.onBlock?.(++done, shares.length);
      }),
    ),
  );
  return { numQueries: nq, k: params.k, indices, distances };
}

/**
 * Any divergence: splits the queries into shares, searches each on a worker against all references (shared memory,
 * not copied), and concatenates the results. Internal.
 */
export async function searchOnPool(
  pool: WorkerPoolLike,
  module: string,
  params: KnnSearchRequest,
): Promise<Neighbours> {
  const { divergence, queries, references } = params;
  const [nq, d] = queries.shape;
  const nr = references.shape[0];
  const q = (await queries.data()) as Float32Array;
  const shared = await sharedCopy(references);
  const json = divergence.toJSON();
  return collectShares(queryShares(nq, pool.size, params.queryBlockSize), nq, params, ({ start, size }) => {
    const part = q.slice(start * d, (start + size) * d);
    const payload: ExactKnnTaskPayload = {
      divergence: json,
      queries: part,
      numQueries: size,
      references: shared,
      numReferences: nr,
      dim: d,
      k: params.k,
      querySlot: params.querySlot,
      queryStart: start,
      selfOffset: params.excludeSelf ? start : null,
      queryBlockSize: params.queryBlockSize,
      referenceBlockSize: params.referenceBlockSize,
    };
    return pool.run<ExactKnnTaskResult>(module, 'exactKnnTask', payload, [part.buffer as ArrayBuffer]);
  });
}

/**
 * A Bregman divergence, in two phases, both on the workers:
 * 1. the reduction: φ and ∇φ of every query and reference row (the MIPS vectors of `reduced-bregman-vectors`), split
 *    into query chunks and reference blocks across the workers, written into shared memory, the references already
 *    in the block-transposed layout the products need;
 * 2. the search: shares of reduced queries against every reduced reference block, each block one matMul.
 * The calling thread only copies the inputs into shared memory and collects the results. A generator the workers
 * cannot rebuild from JSON (a type registered with `registerConvexFunction` on this thread only) is reduced on this
 * thread instead; phase 2 needs no divergence. Internal.
 */
export async function searchBregmanOnPool(
  pool: WorkerPoolLike,
  module: string,
  generator: BregmanMipsReduction['generator'],
  params: KnnSearchRequest,
): Promise<Neighbours> {
  const { divergence, queries, references } = params;
  const [nq, d] = queries.shape;
  const nr = references.shape[0];
  const width = d + 2;
  const [sharedQueries, sharedReferences] = await Promise.all([sharedCopy(queries), sharedCopy(references)]);
  const shared: SharedReduction = {
    dim: d,
    queries: sharedQueries,
    references: sharedReferences,
    numReferences: nr,
    referenceBlockSize: params.referenceBlockSize,
    reducedQueries: new Float32Array(new SharedArrayBuffer(nq * width * 4)),
    reducedReferences: new Float32Array(new SharedArrayBuffer(nr * width * 4)),
    queryNorms: new Float32Array(new SharedArrayBuffer(nq * 4)),
    referenceNorms: new Float32Array(new SharedArrayBuffer(nr * 4)),
  };
  const { reducedQueries, reducedReferences, queryNorms, referenceNorms } = shared;

  // Phase 1: reference blocks and query blocks, grouped into tasks by guided scheduling (see `guidedGroups`).
  const items: Array<ReductionItem & { cost: number }> = [];
  for (let b = 0; b * params.referenceBlockSize < nr; b++)
    items.push({
      side: 'reference',
      start: b,
      rows: 0,
      cost: Math.min(params.referenceBlockSize, nr - b * params.referenceBlockSize),
    });
  for (let start = 0; start < nq; start += params.queryBlockSize) {
    const rows = Math.min(params.queryBlockSize, nq - start);
    items.push({ side: 'query', start, rows, cost: rows });
  }
  const json = divergence.toJSON();
  const reduced = await Promise.allSettled(
    guidedGroups(items, pool.size, params.referenceBlockSize).map((group) => {
      const payload: ReduceRowsTaskPayload = {
        ...shared,
        divergence: json,
        querySlot: params.querySlot,
        items: group.map(({ side, start, rows }) => ({ side, start, rows })),
      };
      return pool.run<void>(module, 'reduceRowsTask', payload);
    }),
  );
  const failures = reduced.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason);
  if (failures.length > 0) {
    const unknownType = (e: unknown) => (e as { code?: unknown })?.code === 'NOT_FOUND';
    const other = failures.find((e) => !unknownType(e));
    if (other !== undefined) throw other;
    reduceItems(new BregmanMipsReduction(generator, { querySlot: params.querySlot }), shared, items);
  }

  // Phase 2.
  return collectShares(queryShares(nq, pool.size, params.queryBlockSize), nq, params, ({ start, size }) => {
    const payload: SearchReducedTaskPayload = {
      reducedQueries,
      reducedReferences,
      queryNorms,
      referenceNorms,
      width,
      queryStart: start,
      numQueries: size,
      numReferences: nr,
      k: params.k,
      excludeSelf: params.excludeSelf,
      queryBlockSize: params.queryBlockSize,
      referenceBlockSize: params.referenceBlockSize,
    };
    return pool.run<ExactKnnTaskResult>(module, 'searchReducedTask', payload);
  });
}

/**
 * Splits `items` in order into tasks of decreasing size (guided self-scheduling): each takes about the remaining
 * cost / (2 × workers), and at least `minCost`. Every task rebuilds the divergence from JSON (~25 ms with the
 * structured clone for W3's ICNN, against ~130 ms to reduce one 4096-row block), so one task per block would spend
 * about a seventh of phase 1 on rebuilding; large tasks first and small ones last still let a worker that its host
 * slows down fall behind by little.
 */
function guidedGroups<T extends { cost: number }>(items: T[], workers: number, minCost: number): T[][] {
  let remaining = items.reduce((sum, item) => sum + item.cost, 0);
  const groups: T[][] = [];
  let current: T[] = [];
  let cost = 0;
  let target = Math.max(minCost, remaining / (2 * workers));
  for (const item of items) {
    current.push(item);
    cost += item.cost;
    if (cost >= target) {
      groups.push(current);
      remaining -= cost;
      current = [];
      cost = 0;
      target = Math.max(minCost, remaining / (2 * workers));
    }
  }
  if (current.length > 0) groups.push(current);
  return groups;
}
