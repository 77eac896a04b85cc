import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '@empirical-bregman/runtime';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunConfig } from '../../config/run-config';
import { validateRunConfig } from '../../config/validate-run-config';
import { renderResultsMarkdown } from '../../report/index';
import { createProgress } from '../../run/progress';
import { SimulatedCrash } from '../../run/run-epochs';
import { type TrainRunOptions, trainRun } from '../../run/train-run';
import { writeRunOutputs } from '../../run/write-outputs';

const root = mkdtempSync(join(tmpdir(), 'eb-regression-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function run(config: RunConfig, dir: string, extra: Partial<TrainRunOptions> = {}) {
  const backend = await initBackend({ quiet: true });
  return trainRun(config, { dir, backend, progress: createProgress({ quiet: true }), ...extra });
}

const byModel = (rows: readonly { model: string; metrics: Readonly<Record<string, number>> }[], model: string) =>
  rows.find((r) => r.model === model)!.metrics;

describe('divergence regression (trainRun dispatch)', () => {
  // Measured on wasm with these settings (seeds 1, 2, 4): test ρ ≥ 0.995, rel. MSE 0.005–0.010 against the fitted
  // Euclidean reference's 0.12–0.13 and the untrained ICNN's ≈ 3.5, asymmetry agreement 0.95–0.97; ≈ 5 s.
  it('an ICNN head learns the exponential divergence, its asymmetry included, with a flat tensor count', async () => {
    const config = validateRunConfig({
      dataset: 'divergence-regression',
      divergence: 'icnn',
      maxTrainSamples: 2000,
      maxEvalSamples: 500,
      batchSize: 32,
      epochs: 10,
      seed: 1,
    });
    expect(config.protocol).toBe('closed-set');
    expect(config.embeddingDim).toBe(8);
    const dir = join(root, 'icnn');
    const before = tf.memory().numTensors;
    const outcome = await run(config, dir);
    expect(tf.memory().numTensors).toBe(before);
    expect(new Set(outcome.tensorsPerEpoch).size).toBe(1);

    const rows = outcome.report.results;
    expect(rows.map((r) => `${r.model}/${r.divergence}`)).toEqual([
      'raw input/scaled sq. euclidean',
      'untrained head/icnn',
      'trained/icnn',
    ]);
    const trained = byModel(rows, 'trained');
    const untrained = byModel(rows, 'untrained head');
    const reference = byModel(rows, 'raw input');
    expect(trained.spearmanRho).toBeGreaterThan(0.9);
    expect(trained.relMse).toBeLessThan(untrained.relMse! / 10);
    expect(trained.relMse).toBeLessThan(reference.relMse! / 3);
    expect(trained.asymmetryAgreement).toBeGreaterThan(0.8);
    expect(reference.asymmetryAgreement).toBe(0.5);

    // Learning curves: train and validation MSE per epoch; validation MSE falls.
    const lines = readFileSync(join(dir, 'metrics.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.epoch)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(lines[10].valMse).toBeLessThan(lines[0].valMse / 10);
    expect(lines[10].trainMse).toBeGreaterThan(0);
    expect(existsSync(join(dir, 'checkpoint.bin'))).toBe(true);

    await writeRunOutputs(dir, outcome.report);
    const md = renderResultsMarkdown(outcome.report);
    expect(md).toContain('| Model | Divergence | MSE | rel. MSE | Spearman ρ | asym. agree |');
    expect(md).not.toContain('MAP@R');
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toContain('data-chart="validation-curve"');
    expect(JSON.parse(readFileSync(join(dir, 'model', 'divergence.json'), 'utf8')).type).toBe('BregmanDivergence');
  }, 60_000);

  it('resumes after a crash mid-epoch to the same results as an uninterrupted run', async () => {
    const config = validateRunConfig({
      dataset: 'divergence-regression',
      divergence: 'icnn',
      embeddingDim: 2,
      icnnHidden: [8],
      maxTrainSamples: 200,
      maxEvalSamples: 100,
      batchSize: 50,
      epochs: 3,
      seed: 3,
    });
    const whole = await run(config, join(root, 'whole'));
    const dir = join(root, 'crashed');
    await expect(run(config, dir, { stopAfterSteps: 6 })).rejects.toBeInstanceOf(SimulatedCrash);
    const resumed = await run(config, dir, { resume: true });
    expect(resumed.report.results).toEqual(whole.report.results);
    expect(resumed.report.curves).toEqual(whole.report.curves);
    // 2-D points with a Bregman head: the report draws the learned φ.
    expect(whole.report.phiSurface?.xs).toHaveLength(40);
  }, 30_000);

  it('evaluates the fixed euclidean head as it is, and gives one-line errors for settings that make no sense', async () => {
    const config = validateRunConfig({
      dataset: 'divergence-regression',
      divergence: 'euclidean',
      maxEvalSamples: 200,
    });
    const outcome = await run(config, join(root, 'euclidean'));
    expect(outcome.epochsRun).toBe(0);
    expect(byModel(outcome.report.results, 'trained')).toEqual(byModel(outcome.report.results, 'untrained head'));
    expect(byModel(outcome.report.results, 'trained').asymmetryAgreement).toBe(0.5);

    const bad = (settings: Record<string, unknown>) => () =>
      validateRunConfig({ dataset: 'divergence-regression', ...settings });
    expect(bad({ divergence: 'kl' })).toThrow(
      /^config: "divergence" must be one of euclidean, mahalanobis, max-affine, icnn for task divergence-regression; got "kl"$/,
    );
    expect(bad({ protocol: 'class-disjoint' })).toThrow(/^config: "protocol" must be closed-set for task/);
    expect(bad({ trunk: 'mlp' })).toThrow(/^config: "trunk" must be auto for task divergence-regression/);
    expect(bad({ epochz: 3 })).toThrow(/unknown key "epochz"; did you mean "epochs"\?/);
    // The task by name: the same config as the dataset name implies (no `task` key: one form, one hash).
    expect(validateRunConfig({ task: 'divergence-regression' })).toEqual(
      validateRunConfig({ dataset: 'divergence-regression' }),
    );
    expect(() => validateRunConfig({ task: 'retrieval', dataset: 'divergence-regression' })).toThrow(
      /^config: "dataset" divergence-regression is made by task divergence-regression, not a dataset task retrieval/,
    );
    expect(() => validateRunConfig({ task: 'divergence-regression', dataset: 'iris' })).toThrow(
      /^config: "dataset" must be divergence-regression for task divergence-regression/,
    );
    expect(() => validateRunConfig({ task: 'clasification' })).toThrow(
      /^config: "task" must be one of retrieval, divergence-regression/,
    );
  });
});
