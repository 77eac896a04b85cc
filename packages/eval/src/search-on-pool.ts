import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type * as tf from '@tensorflow/tfjs-core';
import type { Divergence } from '@empirical-bregman/bregman-core';
import type { ExactKnnTaskPayload, ExactKnnTaskResult } from './exact-knn-task';
import type { QuerySlot } from './exact-knn';
import { EvaluationError } from './evaluation-error';
import type { Neighbours } from './neighbours';

/**
 * What `exactKnn` needs of a worker pool; runtime's `WorkerPool` has it. (A structural type, so that this package
 * does not depend on `runtime` at run time.)
 */
export interface KnnWorkerPool {
  /** Number of workers. */
  readonly size: number;
  /** Runs the exported function `fn` of the ES module `module` on a free worker. */
  run<T>(module: string, fn: string, payload: unknown, transfer?: ArrayBuffer[]): Promise<T>;
}

/** The task module next to the build (`dist/exact-knn-task.js`), or from sources, the package's `dist`. */
function defaultTaskModule(): string {
  for (const candidate of ['./exact-knn-task.js', '../dist/exact-knn-task.js']) {
    const path = fileURLToPath(new URL(candidate, import.meta.url));
    if (existsSync(path)) return path;
  }
  throw new EvaluationError(
    'exactKnn',
    'NOT_FOUND',
    'expected the built task module dist/exact-knn-task.js, got none (run `pnpm build`, or pass taskModule)',
  );
}

/**
 * Splits the queries into 2 × pool.size contiguous shares, searches each on a worker against all references (shared
 * memory, not copied), and concatenates the results. Internal.
 */
export async function searchOnPool(
  pool: KnnWorkerPool,
  taskModule: string | undefined,
  /** null: queries and references are already reduced vectors whose plain product is D (Bregman fast path). */
  divergence: Divergence | null,
  queries: tf.Tensor2D,
  references: tf.Tensor2D,
  params: {
    k: number;
    queryIn: QuerySlot;
    excludeSelf: boolean;
    queryBlockSize: number;
    referenceBlockSize: number;
    onBlock?: (done: number, total: number) => void;
  },
): Promise<Neighbours> {
  const module = taskModule ?? defaultTaskModule();
  const [nq, d] = queries.shape;
  const nr = references.shape[0];
  const q = (await queries.data()) as Float32Array;
  const r = (await references.data()) as Float32Array;
  const shared = new Float32Array(new SharedArrayBuffer(r.length * 4));
  shared.set(r);
  const json = divergence === null ? null : divergence.toJSON();
  const shares = Math.max(1, Math.min(nq, 2 * pool.size));
  const perShare = Math.ceil(nq / shares);
  const indices = new Int32Array(nq * params.k);
  const distances = new Float32Array(nq * params.k);
  let done = 0;
  const tasks: Promise<void>[] = [];
  for (let q0 = 0; q0 < nq; q0 += perShare) {
    const size = Math.min(perShare, nq - q0);
    const part = q.slice(q0 * d, (q0 + size) * d);
    const payload: ExactKnnTaskPayload = {
      divergence: json,
      queries: part,
      numQueries: size,
      references: shared,
      numReferences: nr,
      dim: d,
      k: params.k,
      queryIn: params.queryIn,
      selfOffset: params.excludeSelf ? q0 : null,
      queryBlockSize: params.queryBlockSize,
      referenceBlockSize: params.referenceBlockSize,
    };
    tasks.push(
      pool.run<ExactKnnTaskResult>(module, 'exactKnnTask', payload, [part.buffer as ArrayBuffer]).then((result) => {
        indices.set(result.indices, q0 * params.k);
        distances.set(result.distances, q0 * params.k);
        params.onBlock?.(++done, shares);
      }),
    );
  }
  await Promise.all(tasks);
  return { numQueries: nq, k: params.k, indices, distances };
}
