import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkerPool } from '../worker-pool';
import { DataParallelTrainer } from './data-parallel-trainer';
import type { NamedArray } from '@empirical-bregman/common';
import type { Replica } from './replica';

const replicaModule = fileURLToPath(new URL('../../test-fixtures/replica-fixture.mjs', import.meta.url));
const poolTasks = fileURLToPath(new URL('../../test-fixtures/pool-tasks.mjs', import.meta.url));
const dataParallelTask = fileURLToPath(new URL('../../dist/data-parallel-task.js', import.meta.url));

interface Fixture {
  makeBatch(seed: number, step: number, worker: number): { x: number[]; labels: number[] };
  createReplica(init: unknown, context: { workerIndex: number; workers: number; backend: string }): Replica;
}

/**
 * The reference, in this process: the same replica, and at every step the mean of the two workers' gradients
 * (summed in worker order in float32, as the shared-memory average does) applied by the same optimizer.
 */
async function referenceWeights(seed: number, steps: number, workers: number): Promise<Float32Array[]> {
  const fixture = (await import(replicaModule)) as Fixture;
  const replica = fixture.createReplica({ seed }, { workerIndex: 0, workers, backend: tf.getBackend() });
  for (let step = 0; step < steps; step++) {
    const sizes = replica.variables.map((v) => v.size);
    const sum = sizes.map((n) => new Float32Array(n));
    for (let w = 0; w < workers; w++) {
      const batch = fixture.makeBatch(seed, step, w);
      const { value, grads } = tf.variableGrads(() => replica.loss(batch), [...replica.variables]);
      for (const [i, v] of replica.variables.entries()) {
        const g = grads[v.name]!.dataSync();
        for (let j = 0; j < g.length; j++) sum[i]![j] = w === 0 ? g[j]! : sum[i]![j]! + g[j]!;
      }
      tf.dispose([value, ...Object.values(grads)]);
    }
    const named: tf.NamedTensorMap = {};
    for (const [i, v] of replica.variables.entries()) {
      const mean = sum[i]!.map((s) => s * (1 / workers));
      named[v.name] = tf.tensor(mean, v.shape);
    }
    replica.optimizer!.applyGradients(named);
    tf.dispose(Object.values(named));
  }
  const out = replica.variables.map((v) => Float32Array.from(v.dataSync()));
  replica.optimizer!.dispose();
  tf.dispose([...replica.variables]);
  return out;
}

describe('DataParallelTrainer', () => {
  let pool: WorkerPool;
  beforeAll(async () => {
    const backend = tf.getBackend();
    pool = await WorkerPool.create({ size: 2, backend: { force: backend === 'cpu' ? 'cpu' : 'wasm' } });
  });
  afterAll(async () => {
    await pool.close();
  });

  it('runs each replica with the native BLAS kernels and fused Adam (unless BREGMAN_NATIVE=0), on one OpenBLAS thread each', () => {
    // The tests below then check bit-identical replicas and exact resume with the kernels a user gets by default.
    const native = tf.getBackend() === 'wasm' && process.env.BREGMAN_NATIVE !== '0';
    for (const info of pool.backendInfo) {
      expect(info.native?.enabled ?? false, info.native?.reason ?? 'not on wasm').toBe(native);
      if (native) expect(info.native?.threads).toBe(1);
      // …and Adam's fused native step: the replicas below step through it.
      if (native) expect(info.native?.kernels).toContain('NativeAdamUpdate');
    }
  });

  it('keeps both replicas bit-identical and equal to averaging the two gradients in one process', async () => {
    const fixture = (await import(replicaModule)) as Fixture;
    const trainer = await DataParallelTrainer.create(pool, { replicaModule, init: { seed: 7 } });
    expect(trainer.workers).toBe(2);
    expect(trainer.parameterCount).toBe(8 * 16 + 16 + 16 * 4);
    const losses: number[] = [];
    for (let step = 0; step < 6; step++) {
      const r = await trainer.step([fixture.makeBatch(7, step, 0), fixture.makeBatch(7, step, 1)]);
      expect(r.losses).toHaveLength(2);
      expect(r.losses[0]).not.toBe(r.losses[1]);
      expect(r.loss).toBeCloseTo((r.losses[0]! + r.losses[1]!) / 2, 12);
      losses.push(r.loss);
    }
    const [w0, w1] = await Promise.all([trainer.weights(0), trainer.weights(1)]);
    for (const [i, v] of w0.entries()) expect(Array.from(w1[i]!.values)).toEqual(Array.from(v.values));
    const reference = await referenceWeights(7, 6, 2);
    for (const [i, v] of w0.entries()) {
      expect(v.shape).toEqual(i === 1 ? [16] : i === 0 ? [8, 16] : [16, 4]);
      for (let j = 0; j < v.values.length; j++) expect(v.values[j]).toBeCloseTo(reference[i]![j]!, 5);
    }
    // Training did something: the weights moved away from their initial values.
    const initial = await referenceWeights(7, 0, 2);
    expect(w0[0]!.values.some((x, j) => Math.abs(x - initial[0]![j]!) > 1e-3)).toBe(true);
    await trainer.dispose();
  });

  it('runs several steps per message exactly as one step at a time, and reports where each step’s time went', async () => {
    const fixture = (await import(replicaModule)) as Fixture;
    const batchesOf = (step: number) => [fixture.makeBatch(5, step, 0), fixture.makeBatch(5, step, 1)];
    const oneByOne = await DataParallelTrainer.create(pool, { replicaModule, init: { seed: 5 } });
    const single: number[][] = [];
    for (let step = 0; step < 5; step++) single.push((await oneByOne.step(batchesOf(step))).losses);
    const expected = await oneByOne.weights(0);
    await oneByOne.dispose();

    const batched = await DataParallelTrainer.create(pool, { replicaModule, init: { seed: 5 } });
    const first = await batched.steps([batchesOf(0), batchesOf(1)]);
    const rest = await batched.steps([batchesOf(2), batchesOf(3), batchesOf(4)]);
    const results = [...first, ...rest];
    expect(results.map((r) => r.losses)).toEqual(single);
    const [w0, w1] = await Promise.all([batched.weights(0), batched.weights(1)]);
    for (const [i, v] of expected.entries()) {
      expect(Array.from(w0[i]!.values)).toEqual(Array.from(v.values));
      expect(Array.from(w1[i]!.values)).toEqual(Array.from(v.values));
    }
    for (const r of results) {
      expect(r.timings).toHaveLength(2);
      for (const t of r.timings) {
        expect(t.computeMs).toBeGreaterThan(0);
        expect(t.applyMs).toBeGreaterThan(0);
        expect(t.waitMs).toBeGreaterThanOrEqual(0);
        expect(t.averageMs).toBeGreaterThanOrEqual(0);
      }
    }
    await expect(batched.steps([batchesOf(5), [batchesOf(6)[0]]])).rejects.toThrow(
      /expected one batch per worker \(2\), got 1 at step 1/,
    );
    await expect(batched.steps([])).rejects.toThrow(/expected a non-empty array of steps/);
    // Each replica's own report: its loss was computed once per step.
    expect(await batched.reports()).toEqual([
      { workerIndex: 0, losses: 5 },
      { workerIndex: 1, losses: 5 },
    ]);
    await batched.dispose();
  });

  for (const groups of [false, true]) {
    it(`resumes from a saved state exactly: the steps after loadState equal the original run’s (${groups ? 'two optimizer groups' : 'one optimizer'})`, async () => {
      const fixture = (await import(replicaModule)) as Fixture;
      const counts = () =>
        Promise.all([0, 1].map((w) => pool.runOn<number>(w, dataParallelTask, 'workerTensorCount', {})));
      const before = await counts();
      const batchesOf = (step: number) => [fixture.makeBatch(9, step, 0), fixture.makeBatch(9, step, 1)];
      const original = await DataParallelTrainer.create(pool, { replicaModule, init: { seed: 9, groups } });
      // Enough steps for Adam's running bias-correction products β^t to differ in their last bits from pow(β, t),
      // which is what setWeights alone would restore.
      await original.steps(Array.from({ length: 40 }, (_, s) => batchesOf(s % 3)));
      const saved = await original.state();
      expect(saved.variables.map((v) => v.shape)).toEqual([[8, 16], [16], [16, 4]]);
      // Adam: the iteration count, then a first and a second moment per variable of its group.
      expect(saved.optimizers.map((o) => o.weights.map((w) => w.dtype))).toEqual(
        groups
          ? [
              ['int32', ...Array(4).fill('float32')],
              ['int32', ...Array(2).fill('float32')],
            ]
          : [['int32', ...Array(6).fill('float32')]],
      );
      for (const o of saved.optimizers) {
        expect(Array.from(o.weights[0]!.values)).toEqual([40]);
        expect(o.scalars.map((v) => v.name)).toEqual(['accBeta1', 'accBeta2']);
      }
      const expectedLosses = (await original.steps([batchesOf(3), batchesOf(4)])).map((r) => r.losses);
      const expected = await original.weights(0);
      await original.dispose();

      // Another seed: without the loaded state its weights would differ from the first step on.
      const resumed = await DataParallelTrainer.create(pool, { replicaModule, init: { seed: 2, groups } });
      await resumed.steps([batchesOf(0)]); // its own optimizer state, replaced by the load
      await resumed.loadState(saved);
      const losses = (await resumed.steps([batchesOf(3), batchesOf(4)])).map((r) => r.losses);
      expect(losses).toEqual(expectedLosses);
      for (const w of [0, 1]) {
        const got = await resumed.weights(w);
        for (const [i, v] of expected.entries()) expect(Array.from(got[i]!.values)).toEqual(Array.from(v.values));
      }
      const wrong = { ...saved, variables: [saved.variables[1]!, saved.variables[0]!, saved.variables[2]!] };
      await expect(resumed.loadState(wrong)).rejects.toThrow(/expected variable 0 of shape \[8, 16\], got \[16\]/);
      await resumed.dispose();
      expect(await counts()).toEqual(before);
    });
  }

  it('gives each optimizer group its own variables (a smaller learning rate moves its weights less)', async () => {
    const fixture = (await import(replicaModule)) as Fixture;
    const run = async (groups: boolean) => {
      const trainer = await DataParallelTrainer.create(pool, { replicaModule, init: { seed: 4, groups } });
      await trainer.steps([0, 1, 2].map((s) => [fixture.makeBatch(4, s, 0), fixture.makeBatch(4, s, 1)]));
      const weights = await trainer.weights(0);
      await trainer.dispose();
      return weights;
    };
    const initial = await referenceWeights(4, 0, 2);
    const [one, two] = [await run(false), await run(true)];
    const moved = (w: NamedArray<'float32'>[], i: number) =>
      Math.max(...Array.from(w[i]!.values, (x, j) => Math.abs(x - initial[i]![j]!)));
    // Variables 0–1 share the learning rate (0.05) in both runs; variable 2 has 0.01 in the grouped run. Adam's
    // first steps move each weight by about the learning rate.
    expect(moved(one, 2)).toBeGreaterThan(0.1);
    expect(moved(two, 2)).toBeLessThan(0.035);
    const counts = () =>
      Promise.all([0, 1].map((w) => pool.runOn<number>(w, dataParallelTask, 'workerTensorCount', {})));
    const before = await counts();
    await expect(DataParallelTrainer.create(pool, { replicaModule, init: { badGroups: true } })).rejects.toThrow(
      /expected every variable in an optimizer group, got 1 without one/,
    );
    expect(await counts()).toEqual(before);
    // Only worker 1 fails: worker 0's replica, already built, is freed too.
    await expect(DataParallelTrainer.create(pool, { replicaModule, init: { failOnWorker: 1 } })).rejects.toThrow(
      /replica 1 could not start/,
    );
    expect(await counts()).toEqual(before);
  });

  it('is deterministic for a seed and leaves no tensor behind on the workers', async () => {
    const fixture = (await import(replicaModule)) as Fixture;
    const counts = () =>
      Promise.all([0, 1].map((w) => pool.runOn<number>(w, dataParallelTask, 'workerTensorCount', {})));
    const before = await counts();
    const runOnce = async () => {
      const trainer = await DataParallelTrainer.create(pool, { replicaModule, init: { seed: 3 } });
      await trainer.step([fixture.makeBatch(3, 0, 0), fixture.makeBatch(3, 0, 1)]);
      const afterFirst = await counts();
      for (let step = 1; step < 4; step++)
        await trainer.step([fixture.makeBatch(3, step, 0), fixture.makeBatch(3, step, 1)]);
      // Steps after the first (which creates Adam's moment slots) allocate nothing that stays.
      expect(await counts()).toEqual(afterFirst);
      const weights = await trainer.weights(1);
      await trainer.dispose();
      return weights;
    };
    const a = await runOnce();
    const b = await runOnce();
    for (const [i, v] of a.entries()) expect(Array.from(b[i]!.values)).toEqual(Array.from(v.values));
    expect(await counts()).toEqual(before);
  });

  it('fails a step with the failing replica’s own error, releases the other, and refuses later steps', async () => {
    const fixture = (await import(replicaModule)) as Fixture;
    const trainer = await DataParallelTrainer.create(pool, { replicaModule, init: { seed: 1 } });
    await expect(trainer.step([fixture.makeBatch(1, 0, 0), { fail: true }])).rejects.toThrow(
      /replica 1 was told to fail/,
    );
    await expect(trainer.step([fixture.makeBatch(1, 1, 0), fixture.makeBatch(1, 1, 1)])).rejects.toThrow(
      /step failed earlier: .*replica 1 was told to fail/,
    );
    await trainer.dispose();
    // The pool itself is fine: both workers still answer.
    const sums = await Promise.all(
      [0, 1].map((w) => pool.runOn<{ sum: number }>(w, poolTasks, 'matMulSum', { a: [1, 0, 0, 1], b: [2, 0, 0, 2] })),
    );
    expect(sums.map((s) => s.sum)).toEqual([4, 4]);
  });

  it('rejects replicas that disagree on their variables, a wrong batch count and a module without createReplica', async () => {
    await expect(DataParallelTrainer.create(pool, { replicaModule, init: { mismatch: true } })).rejects.toThrow(
      /expected every replica to have the same variables, got 3 variables \/ 208 values on worker 0 and 4 \/ 211 on worker 1/,
    );
    await expect(DataParallelTrainer.create(pool, { replicaModule: poolTasks })).rejects.toThrow(
      /to export a function createReplica, got undefined/,
    );
    const trainer = await DataParallelTrainer.create(pool, { replicaModule });
    await expect(trainer.step([{}])).rejects.toThrow(/expected one batch per worker \(2\), got 1/);
    await trainer.dispose();
    await expect(trainer.weights()).rejects.toThrow(/disposed/);
  });
});
