import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkerPool } from './worker-pool';

const tasks = fileURLToPath(new URL('../test-fixtures/pool-tasks.mjs', import.meta.url));

describe('WorkerPool', () => {
  let pool: WorkerPool;
  beforeAll(async () => {
    pool = await WorkerPool.create({ size: 2, backend: { force: 'wasm' } });
  });
  afterAll(async () => {
    await pool.close();
  });

  it('starts two workers, each with its own initialised backend', async () => {
    expect(pool.size).toBe(2);
    expect(pool.backends).toEqual(['wasm', 'wasm']);
    const results = await Promise.all(
      [0, 1].map((i) =>
        pool.runOn<{ sum: number; backend: string; workerIndex: number; numTensors: number }>(i, tasks, 'matMulSum', {
          a: [1, 2, 3, 4],
          b: [1, 0, 0, 1],
        }),
      ),
    );
    for (const [i, r] of results.entries()) {
      expect(r).toMatchObject({ sum: 10, backend: 'wasm', reported: 'wasm', workerIndex: i, numTensors: 0 });
    }
  });

  it('runs tasks on both workers at once', async () => {
    const results = await Promise.all(
      [1, 2, 3, 4].map((x) => pool.run<{ value: number; threadId: number }>(tasks, 'slowSquare', { x, ms: 150 })),
    );
    expect(results.map((r) => r.value)).toEqual([1, 4, 9, 16]);
    expect(new Set(results.map((r) => r.threadId)).size).toBe(2);
  });

  it('passes a task error back with its message and code', async () => {
    await expect(pool.run(tasks, 'fails', {})).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringContaining('task fails of'),
    });
    await expect(pool.run(tasks, 'fails', {})).rejects.toThrow(/expected k <= 10, got 11/);
    await expect(pool.run(tasks, 'noSuchTask', {})).rejects.toThrow(/to export a function noSuchTask, got undefined/);
    await expect(pool.runOn(5, tasks, 'matMulSum', {})).rejects.toThrow(/expected a worker index in \[0, 2\), got 5/);
  });
});

describe('WorkerPool failures', () => {
  it('rejects the running task, and later ones, when a worker dies', async () => {
    const pool = await WorkerPool.create({ size: 2, backend: { force: 'cpu' } });
    await expect(pool.runOn(0, tasks, 'crash', {})).rejects.toThrow(/worker 0 exited with code 3 while running a task/);
    await expect(pool.run(tasks, 'matMulSum', {})).rejects.toThrow(/closed/);
    await pool.close();
  });

  it('refuses a bad size', async () => {
    await expect(WorkerPool.create({ size: 0 })).rejects.toThrow(
      'WorkerPool.create: expected size to be a positive integer, got 0',
    );
  });
});
