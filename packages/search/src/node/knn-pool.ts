import { bregmanGeneratorOf } from '@empirical-bregman/bregman-core';
import { describeValue } from '@empirical-bregman/common';
import { findBuiltFile } from '@empirical-bregman/node-io';
import type { KnnSearchPool } from '../knn-search-pool';
import { SearchError } from '../search-error';
import { searchBregmanOnPool, searchOnPool } from './search-on-pool';
import type { WorkerPoolLike } from './worker-pool-like';

export interface KnnPoolOptions {
  /** The built task module the workers run (default: `exact-knn-task.js` beside this package's build). */
  readonly taskModule?: string;
}

/** The task module beside the build (`dist/exact-knn-task.js`), or from sources, the package's `dist`. */
function defaultTaskModule(): string {
  const path = findBuiltFile(import.meta.url, ['./exact-knn-task.js', '../../dist/exact-knn-task.js']);
  if (path !== null) return path;
  throw new SearchError(
    'knnPool',
    'NOT_FOUND',
    'expected the built task module dist/exact-knn-task.js, got none (run `pnpm build`, or pass taskModule)',
  );
}

/**
 * Gives a worker pool (runtime's `WorkerPool`, each worker with its own backend) the capability `exactKnn` and
 * eval's `evaluate` ask for: pass the result as their `pool` option. The pool is not owned (close it yourself).
 *
 * Under a Bregman divergence (`bregmanGeneratorOf` is φ) the search runs in two phases, both on the workers: φ and
 * ∇φ of every query and reference row (the reduction to inner products), written into shared memory with each
 * reference block already transposed; then query shares of at most one block, handed out as workers free up, each
 * block of D one matMul. Under any other divergence the queries are split into shares searched against shared
 * references with the same block loop as one thread. The divergence crosses as `toJSON()` and is rebuilt with
 * bregman-core's `divergenceFromJSON` (its type must be registered there; a Bregman generator the workers cannot
 * rebuild is reduced on the calling thread instead). Results are identical to the in-process search when the workers
 * run the same backend.
 *
 * ```ts
 * const workers = await WorkerPool.create({ size: 2 });   // @empirical-bregman/runtime
 * const nn = await exactKnn(divergence, queries, references, { k: 10, pool: knnPool(workers) });
 * await workers.close();
 * ```
 */
export function knnPool(pool: WorkerPoolLike, options: KnnPoolOptions = {}): KnnSearchPool {
  const component = 'knnPool';
  if (
    pool === null ||
    typeof pool !== 'object' ||
    typeof pool.run !== 'function' ||
    !Number.isInteger(pool.size) ||
    pool.size < 1
  ) {
    throw new SearchError(
      component,
      'INVALID_ARGUMENT',
      `expected a worker pool with size ≥ 1 and run(module, fn, payload, transfer) (runtime's WorkerPool), got ${describeValue(pool)}`,
    );
  }
  if (options.taskModule !== undefined && (typeof options.taskModule !== 'string' || options.taskModule === '')) {
    throw new SearchError(
      component,
      'INVALID_ARGUMENT',
      `expected taskModule to be a path or file URL, got ${describeValue(options.taskModule)}`,
    );
  }
  const taskModule = options.taskModule ?? defaultTaskModule();
  return {
    searchKnn(request) {
      const generator = bregmanGeneratorOf(request.divergence);
      return generator !== null
        ? searchBregmanOnPool(pool, taskModule, generator, request)
        : searchOnPool(pool, taskModule, request);
    },
  };
}
