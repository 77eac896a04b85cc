import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '@empirical-bregman/runtime';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { validateRunConfig } from '../../config/validate-run-config';
import { renderResultsMarkdown } from '../../report/index';
import { createProgress } from '../../run/progress';
import { SimulatedCrash } from '../../run/run-epochs';
import { type TrainRunOptions, trainRun } from '../../run/train-run';
import { runCli } from '../../testing/run-cli';

const root = mkdtempSync(join(tmpdir(), 'eb-sets-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const byModel = (rows: readonly { model: string; metrics: Readonly<Record<string, number>> }[], model: string) =>
  rows.find((r) => r.model === model)!.metrics;

describe('set clustering (Deep Divergence Learning Gaussian sets)', () => {
  it('an ICNN head over pooled embeddings clusters test sets far above chance, with a flat tensor count', async () => {
    const config = validateRunConfig({
      dataset: 'gaussian-sets',
      divergence: 'icnn',
      icnnHidden: [16],
      hidden: [32, 16],
      maxTrainSamples: 150,
      maxEvalSamples: 90,
      epochs: 6,
      seed: 2,
    });
    expect(config.protocol).toBe('closed-set');
    expect(config.embeddingDim).toBe(2);
    const backend = await initBackend({ quiet: true });
    const before = tf.memory().numTensors;
    const outcome = await trainRun(config, {
      dir: join(root, 'icnn'),
      backend,
      progress: createProgress({ quiet: true }),
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(new Set(outcome.tensorsPerEpoch).size).toBe(1);
    const rows = outcome.report.results;
    expect(rows.map((r) => `${r.model}/${r.divergence}`)).toEqual([
      'raw input/k-means on set means',
      'untrained network/icnn',
      'trained/icnn',
    ]);
    for (const row of rows) {
      expect(row.metrics.randIndex).toBeGreaterThanOrEqual(0);
      expect(row.metrics.randIndex).toBeLessThanOrEqual(1);
      expect(row.metrics.ari).toBeLessThanOrEqual(1);
    }
    // Chance for 3 balanced classes: Rand index ≈ 5/9, ARI ≈ 0.
    const trained = byModel(rows, 'trained');
    expect(trained.ari).toBeGreaterThan(0.5);
    expect(trained.randIndex).toBeGreaterThan(0.8);
    expect(trained.ari).toBeGreaterThan(byModel(rows, 'raw input').ari! + 0.2);
    const md = renderResultsMarkdown(outcome.report);
    expect(md).toContain('Rand index');
  }, 120_000);

  it('runs through the CLI: moment matching over sets, results in [0, 1], and one-line errors for settings that make no sense', async () => {
    const out = join(root, 'cli');
    const run = await runCli(
      'train',
      '--dataset',
      'gaussian-sets',
      '--set-divergence',
      'moment-matching',
      '--points-per-set',
      '20',
      '--hidden',
      '16',
      '--max-train-samples',
      '60',
      '--max-eval-samples',
      '30',
      '--epochs',
      '2',
      '--quiet',
      '--out',
      out,
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const [folder] = readdirSync(out);
    const results = JSON.parse(readFileSync(join(out, folder!, 'results.json'), 'utf8'));
    expect(results.config).toMatchObject({
      dataset: 'gaussian-sets',
      setDivergence: 'moment-matching',
      pointsPerSet: 20,
    });
    const rows = results.results as { model: string; divergence: string; metrics: Record<string, number> }[];
    expect(rows.map((r) => `${r.model}/${r.divergence}`)).toEqual([
      'raw input/k-means on set means',
      'untrained network/moment matching',
      'trained/moment matching',
    ]);
    for (const row of rows)
      for (const name of ['randIndex', 'ari', 'nmi']) {
        expect(row.metrics[name]).toBeGreaterThanOrEqual(name === 'ari' ? -1 : 0);
        expect(row.metrics[name]).toBeLessThanOrEqual(1);
      }

    const bad = (settings: Record<string, unknown>) => () =>
      validateRunConfig({ dataset: 'gaussian-sets', ...settings });
    expect(bad({ setDivergence: 'moment-matching', divergence: 'icnn' })).toThrow(
      /^config: "divergence" must be euclidean with setDivergence moment-matching \(it has no head\); got "icnn"$/,
    );
    expect(bad({ protocol: 'class-disjoint' })).toThrow(
      /^config: "protocol" must be closed-set for task set-clustering/,
    );
    expect(bad({ trunk: 'cnn' })).toThrow(/^config: "trunk" must be auto or mlp for task set-clustering/);
    expect(bad({ loss: 'supcon' })).toThrow(/^config: "loss" must be triplet for task set-clustering/);
    expect(bad({ setDivergence: 'wasserstein' })).toThrow(/"setDivergence" must be one of head, moment-matching/);
    expect(() => validateRunConfig({ task: 'set-clustering', dataset: 'iris' })).toThrow(
      /^config: "dataset" must be gaussian-sets for task set-clustering/,
    );
    // The task's settings belong to its configs only.
    expect(() => validateRunConfig({ dataset: 'iris', pointsPerSet: 5 })).toThrow(/unknown key "pointsPerSet"/);
    expect(validateRunConfig({ task: 'set-clustering' })).toEqual(validateRunConfig({ dataset: 'gaussian-sets' }));
  }, 60_000);

  it('resumes after a crash mid-epoch to the same results as an uninterrupted run', async () => {
    const config = validateRunConfig({
      dataset: 'gaussian-sets',
      divergence: 'icnn',
      icnnHidden: [8],
      hidden: [8],
      pointsPerSet: 10,
      maxTrainSamples: 40,
      maxEvalSamples: 30,
      batchSize: 16,
      epochs: 2,
      seed: 5,
    });
    const backend = await initBackend({ quiet: true });
    const run = (dir: string, extra: Partial<TrainRunOptions> = {}) =>
      trainRun(config, { dir, backend, progress: createProgress({ quiet: true }), ...extra });
    const whole = await run(join(root, 'whole'));
    const dir = join(root, 'crashed');
    await expect(run(dir, { stopAfterSteps: 4 })).rejects.toBeInstanceOf(SimulatedCrash);
    const resumed = await run(dir, { resume: true });
    expect(resumed.report.results).toEqual(whole.report.results);
    expect(resumed.report.curves).toEqual(whole.report.curves);
  }, 60_000);
});
