import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MPerClassSampler } from '@empirical-bregman/datasets';
import { initBackend } from '@empirical-bregman/runtime';
import { afterAll, describe, expect, it } from 'vitest';
import { validateRunConfig } from '../../config/validate-run-config';
import { buildModelParts } from './model-parts';
import { prepareData } from './prepare-data';
import { tinyRunConfig, trainQuietly } from '../../testing/tiny-run';
import { SimulatedCrash } from '../../run/run-epochs';
import { dataParallelEngine } from './training-engine';

const root = mkdtempSync(join(tmpdir(), 'eb-train-dp-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

// The train-run test's small real run (MNIST digits, class-disjoint, ICNN head), on 2 data-parallel workers.
const tiny = tinyRunConfig({ dataParallel: 2 });
const run = (dir: string, extra: { resume?: boolean; stopAfterSteps?: number } = {}) => trainQuietly(tiny, dir, extra);

describe('trainRun with --data-parallel 2', () => {
  it('starts every replica from this thread’s weights and copies the trained weights back', async () => {
    const backend = await initBackend({ quiet: true });
    const data = await prepareData(tiny);
    const parts = buildModelParts(tiny, data.sampleShape, data.isImage, 10);
    const { trunkVars, headVars } = parts;
    const variables = [...trunkVars, ...headVars];
    const initial = variables.map((v) => Array.from(v.dataSync()));
    const engine = await dataParallelEngine({
      config: tiny,
      parts,
      sampler: new MPerClassSampler(data.train.labels, 10, 30, { seed: 1 }),
      train: data.train,
      init: { config: tiny, sampleShape: data.sampleShape, isImage: data.isImage, numClasses: 10 },
      backend,
    });
    try {
      // Seeded initialisers: the replicas built from the config hold exactly this thread's initial weights.
      await engine.sync();
      expect(variables.map((v) => Array.from(v.dataSync()))).toEqual(initial);
      const first = await engine.step();
      expect(Number.isFinite(first)).toBe(true);
      await engine.sync();
      expect(variables.some((v, i) => v.dataSync().some((x, j) => x !== initial[i]![j]))).toBe(true);
      // Checkpoint arrays in the in-thread format: both Adam optimizers, iteration count 1.
      const arrays = await engine.optimizerArrays();
      expect(arrays.find((a) => a.name === 'trunkOptimizer/0/iter')?.values[0]).toBe(1);
      expect(arrays.find((a) => a.name === 'headOptimizer/0/iter')?.values[0]).toBe(1);
      expect(arrays.filter((a) => a.name.includes('-bias/')).map((a) => a.name)).toEqual([
        'trunkOptimizer-bias/accBeta1',
        'trunkOptimizer-bias/accBeta2',
        'headOptimizer-bias/accBeta1',
        'headOptimizer-bias/accBeta2',
      ]);
    } finally {
      await engine.dispose();
      parts.dispose();
    }
  });

  it('trains, keeps the tensor count flat, and resumes after a crash with exactly the metrics of an uninterrupted run', async () => {
    const reference = await run(join(root, 'reference'));
    expect(reference.epochsRun).toBe(3);
    expect(new Set(reference.tensorsPerEpoch).size).toBe(1);
    const trainLoss = reference.report.curves.filter((c) => c.split === 'train' && c.metric === 'loss');
    // The loss statistics come back from the replicas: one mean positive and negative divergence per epoch.
    for (const metric of ['meanPositiveDivergence', 'meanNegativeDivergence'])
      expect(reference.report.curves.filter((c) => c.metric === metric).map((c) => c.epoch)).toEqual([1, 2, 3]);
    const last = (metric: string) => reference.report.curves.filter((c) => c.metric === metric).at(-1)!.value;
    const [lastPositive, lastNegative] = [last('meanPositiveDivergence'), last('meanNegativeDivergence')];
    expect(lastNegative).toBeGreaterThan(lastPositive);
    expect(trainLoss.at(-1)!.value).toBeLessThan(trainLoss[0]!.value);
    const dir = join(root, 'crashed');
    // Crash in the middle of epoch 2 (6 steps per epoch): the checkpoint after epoch 1 survives.
    await expect(run(dir, { stopAfterSteps: 9 })).rejects.toBeInstanceOf(SimulatedCrash);
    const resumed = await run(dir, { resume: true });
    expect(resumed.report.results).toEqual(reference.report.results);
    expect(resumed.report.curves).toEqual(reference.report.curves);
  });

  it('trains the class weights of a loss that has them (ArcFace) on every replica and copies them back', async () => {
    const backend = await initBackend({ quiet: true });
    const config = tinyRunConfig({
      dataParallel: 2,
      loss: 'arc-face',
      divergence: 'cosine',
      regularizer: 'regular-face',
    });
    const data = await prepareData(config);
    const parts = buildModelParts(config, data.sampleShape, data.isImage, 10);
    const weights = parts.loss.trainableVariables;
    expect(weights.map((w) => w.shape)).toEqual([[10, 16]]);
    const initial = Array.from(weights[0]!.dataSync());
    const engine = await dataParallelEngine({
      config,
      parts,
      sampler: new MPerClassSampler(data.train.labels, 10, 30, { seed: 1 }),
      train: data.train,
      init: { config, sampleShape: data.sampleShape, isImage: data.isImage, numClasses: 10 },
      backend,
    });
    try {
      expect(Number.isFinite(await engine.step())).toBe(true);
      await engine.sync();
      expect(weights[0]!.dataSync().some((x, j) => x !== initial[j])).toBe(true);
      // The head optimizer (cosine head: the class weights only) is in the checkpoint arrays.
      expect((await engine.optimizerArrays()).find((a) => a.name === 'headOptimizer/0/iter')?.values[0]).toBe(1);
    } finally {
      await engine.dispose();
      parts.dispose();
    }
  });

  it('refuses divergence-regression (pairs, not m-per-class batches) when the config is validated', () => {
    expect(() => validateRunConfig({ dataset: 'divergence-regression', divergence: 'icnn', dataParallel: 2 })).toThrow(
      /^config: expected dataParallel 1 for divergence-regression/,
    );
  });
});
