import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { BregmanDivergence, CosineDivergence } from '@empirical-bregman/bregman-core';
import { SeededRandom } from '@empirical-bregman/common';
import {
  type ConvexFunction,
  type ConvexFunctionJSON,
  IcnnConvexFunction,
  SquaredNorm,
  registerConvexFunction,
} from '@empirical-bregman/convex-net';
import { WorkerPool } from '@empirical-bregman/runtime/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exactKnn } from '../exact-knn';
import { SearchError } from '../search-error';
import type { KnnSearchPool } from '../knn-search-pool';
import { checkTieOrder, maxAffineTies } from '../testing/max-affine-ties';
import { knnPool } from './knn-pool';

const here = dirname(fileURLToPath(import.meta.url));
const packages = resolve(here, '../../..');

/**
 * Workers import a JS module; from sources there is none, so bundle the task with esbuild (tsup's own) the way the
 * build does, keeping tfjs-core external so the worker's initialised backend is the one the task uses.
 */
async function buildTaskModule(): Promise<string> {
  const require = createRequire(createRequire(import.meta.url).resolve('tsup'));
  const esbuild = require('esbuild') as { build(options: Record<string, unknown>): Promise<unknown> };
  const outDir = resolve(here, '../../node_modules/.cache/search-test');
  mkdirSync(outDir, { recursive: true });
  const outfile = resolve(outDir, 'exact-knn-task.mjs');
  await esbuild.build({
    entryPoints: [resolve(here, 'exact-knn-task.ts')],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: ['@tensorflow/tfjs-core'],
    alias: Object.fromEntries(
      ['bregman-core', 'convex-net', 'common', 'zero-copy'].map((p) => [
        `@empirical-bregman/${p}`,
        resolve(packages, p, 'src/index.ts'),
      ]),
    ),
    logLevel: 'silent',
  });
  return outfile;
}

describe('exactKnn on a worker pool', () => {
  let workers: WorkerPool;
  let taskModule: string;
  let pool: KnnSearchPool;
  beforeAll(async () => {
    taskModule = await buildTaskModule();
    workers = await WorkerPool.create({ size: 2 });
    pool = knnPool(workers, { taskModule });
  });
  afterAll(async () => {
    await workers.close();
  });

  it('gives the same neighbours as the single-process search (ICNN divergence, both slots, self excluded)', async () => {
    const rng = new SeededRandom('pool');
    const d = 6;
    const n = 300;
    const x = tf.tensor2d(rng.normalArray(n * d), [n, d]);
    const q = tf.slice(x, [0, 0], [57, d]);
    const divergence = new BregmanDivergence(new IcnnConvexFunction({ dim: d, hiddenSizes: [8, 8], seed: 2 }));
    const before = tf.memory().numTensors;
    for (const querySlot of ['left', 'right'] as const) {
      // 300 references in blocks of 47: the last block is ragged (18 rows).
      const options = { k: 7, querySlot, excludeSelf: true, queryBlockSize: 16, referenceBlockSize: 47 };
      const local = await exactKnn(divergence, q, x, options);
      let shares = 0;
      const pooled = await exactKnn(divergence, q, x, {
        ...options,
        pool,
        onBlock: () => {
          shares++;
        },
      });
      expect(shares).toBe(4);
      expect(Array.from(pooled.indices)).toEqual(Array.from(local.indices));
      for (let t = 0; t < local.distances.length; t++) {
        expect(pooled.distances[t]).toBeCloseTo(local.distances[t], 4);
      }
    }
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, q]);
    divergence.dispose();
  });

  it('splits a search under a divergence that is not Bregman (cosine) across the workers with the same result', async () => {
    const rng = new SeededRandom('pool-cosine');
    const d = 5;
    const x = tf.tensor2d(rng.normalArray(120 * d), [120, d]);
    const q = tf.tensor2d(rng.normalArray(9 * d), [9, d]);
    const divergence = new CosineDivergence();
    const options = { k: 4, queryBlockSize: 4, referenceBlockSize: 50 };
    const local = await exactKnn(divergence, q, x, options);
    let shares = 0;
    const pooled = await exactKnn(divergence, q, x, { ...options, pool, onBlock: () => void shares++ });
    expect(shares).toBe(3);
    expect(Array.from(pooled.indices)).toEqual(Array.from(local.indices));
    for (let t = 0; t < local.distances.length; t++) expect(pooled.distances[t]).toBeCloseTo(local.distances[t], 5);
    tf.dispose([x, q]);
  });

  it('reduces on the calling thread a generator the workers cannot rebuild (registered here only)', async () => {
    // φ(x) = ‖x‖² (twice SquaredNorm's ‖x‖²/2), registered in this thread's registry but not in the workers'.
    class DoubledSquaredNorm implements ConvexFunction {
      readonly type = 'DoubledSquaredNormForPoolTest';
      readonly trainableVariables: tf.Variable[] = [];
      private readonly inner: SquaredNorm;
      constructor(readonly dim: number) {
        this.inner = new SquaredNorm({ dim });
      }
      valueAndGrad(x: tf.Tensor2D) {
        return tf.tidy(() => {
          const { value, grad } = this.inner.valueAndGrad(x);
          return { value: tf.mul(2, value) as tf.Tensor1D, grad: tf.mul(2, grad) as tf.Tensor2D };
        });
      }
      toJSON(): ConvexFunctionJSON {
        return { type: this.type, config: { dim: this.dim }, weights: {} };
      }
      dispose(): void {}
    }
    registerConvexFunction(
      'DoubledSquaredNormForPoolTest',
      (json) => new DoubledSquaredNorm(json.config.dim as number),
    );
    const rng = new SeededRandom('pool-custom');
    const x = tf.tensor2d(rng.normalArray(90 * 3), [90, 3]);
    const divergence = new BregmanDivergence(new DoubledSquaredNorm(3));
    const options = { k: 5, excludeSelf: true, queryBlockSize: 32, referenceBlockSize: 40 };
    const local = await exactKnn(divergence, x, x, options);
    const pooled = await exactKnn(divergence, x, x, { ...options, pool });
    expect(Array.from(pooled.indices)).toEqual(Array.from(local.indices));
    // D = ‖x − y‖² for this φ: check one neighbour against the closed form.
    const [xs] = [await x.array()];
    const j = pooled.indices[0]!;
    const closed = xs[0]!.reduce((sum, v, c) => sum + (v - xs[j]![c]!) ** 2, 0);
    expect(pooled.distances[0]).toBeCloseTo(closed, 4);
    x.dispose();
  });

  it('breaks exact-zero ties by reference index like the in-process search (max-affine φ, both slots)', async () => {
    const n = 150;
    const { points, divergence, piece } = maxAffineTies({ n, dim: 6, pieces: 3, seed: 'pool-ties' });
    for (const querySlot of ['left', 'right'] as const) {
      const options = { k: n - 1, querySlot, excludeSelf: true, queryBlockSize: 32, referenceBlockSize: 40 };
      const local = await exactKnn(divergence, points, points, options);
      const pooled = await exactKnn(divergence, points, points, { ...options, pool });
      expect(Array.from(pooled.indices)).toEqual(Array.from(local.indices));
      const violations: string[] = [];
      for (let q = 0; q < n; q++) {
        const rows = [q * (n - 1), (q + 1) * (n - 1)] as const;
        const problem = checkTieOrder(q, piece, pooled.indices.subarray(...rows), pooled.distances.subarray(...rows));
        if (problem) violations.push(problem);
      }
      expect(violations.slice(0, 3)).toEqual([]);
    }
    tf.dispose(points);
    divergence.dispose();
  });

  it('fails a search on non-finite input with a clear error, and leaves no tensor behind on the workers', async () => {
    const counts = () => Promise.all([0, 1].map((w) => workers.runOn<number>(w, taskModule, 'workerTensorCount', {})));
    const d = 4;
    const divergence = new BregmanDivergence(new IcnnConvexFunction({ dim: d, hiddenSizes: [8], seed: 3 }));
    const values = new SeededRandom('pool-nan').normalArray(300 * d);
    const good = tf.tensor2d(values, [300, d]);
    values[250 * d] = Number.NaN;
    const bad = tf.tensor2d(values, [300, d]);
    const options = { k: 3, pool, queryBlockSize: 64, referenceBlockSize: 64 };
    await exactKnn(divergence, good, good, options);
    const before = await counts();
    for (let i = 0; i < 2; i++) await expect(exactKnn(divergence, bad, bad, options)).rejects.toThrow(/finite|NaN/);
    expect(await counts()).toEqual(before);
    tf.dispose([good, bad]);
    divergence.dispose();
  });
});

describe('knnPool', () => {
  it('rejects what is not a worker pool, and a bare WorkerPool is not a KnnSearchPool for exactKnn', async () => {
    expect(() => knnPool({} as WorkerPool)).toThrowError(SearchError);
    expect(() => knnPool({ size: 0, run: async () => undefined } as unknown as WorkerPool)).toThrowError(/size ≥ 1/);
    const bare = { size: 2, run: async () => undefined };
    const x = tf.tensor2d([[0], [1], [2]]);
    await expect(
      exactKnn(new CosineDivergence(), x, x, { k: 1, pool: bare as unknown as KnnSearchPool }),
    ).rejects.toThrowError(/expected pool to be a KnnSearchPool \(e\.g\. knnPool\(workerPool\)/);
    x.dispose();
  });
});
