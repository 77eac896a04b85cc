import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SeededRandom } from '@empirical-bregman/common';
import { loadModel, loadModelWithIndex } from '@empirical-bregman/model/node';
import { initBackend } from '@empirical-bregman/runtime';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateRunConfig } from '../config/validate-run-config';
import { encodePng } from '../report/encode-png';
import { prepareData } from '../tasks/retrieval/prepare-data';
import { runBregman } from '../testing/run-bregman';

// Users' data in, a usable model out: the built `bregman` binary trains on a CSV and on a PNG folder the test writes;
// the model is then used from code (@empirical-bregman/model) and through `bregman index` / `bregman query`, and all
// three give the same neighbours and divergences.
const root = mkdtempSync(join(tmpdir(), 'eb-model-code-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
beforeAll(async () => {
  await initBackend({ quiet: true });
});

const TINY = ['--protocol', 'closed-set', '--hidden', '16', '--embedding-dim', '4', '--icnn-hidden', '8'];
const FAST = ['--epochs', '2', '--steps-per-epoch', '3', '--patience', '0', '--batch-size', '12', '--quiet'];

async function train(data: string, out: string): Promise<string> {
  const done = await runBregman(['train', '--data', data, ...TINY, ...FAST, '--out', out]);
  expect(done.status, done.stderr).toBe(0);
  return join(out, readdirSync(out)[0]!);
}

/** n raw rows of `width` values: three clusters, seeded. */
function rows(n: number, width: number, seed: number, scale = 1): number[][] {
  const rng = new SeededRandom(seed);
  return Array.from({ length: n }, (_, i) =>
    Array.from({ length: width }, (_, j) => scale * ((i % 3) * 2 + j * 0.1 + rng.normal(0, 0.3))),
  );
}

/** Same neighbours and divergences from the model in code, a saved-and-reloaded index, and the CLI. */
async function checkSameAnswers(runDir: string, refs: number[][], queries: number[][], tag: string): Promise<void> {
  const refsFile = join(root, `${tag}-refs.json`);
  const queriesFile = join(root, `${tag}-queries.json`);
  const labelsFile = join(root, `${tag}-labels.json`);
  writeFileSync(refsFile, JSON.stringify(refs));
  writeFileSync(queriesFile, JSON.stringify(queries));
  const labels = refs.map((_, i) => i % 3);
  writeFileSync(labelsFile, JSON.stringify(labels));
  const k = 5;
  const before = tf.memory().numTensors;
  const model = await loadModel(join(runDir, 'model'));
  const index = await model.index(Float32Array.from(refs.flat()), Int32Array.from(labels));
  const inCode = await index.search(Float32Array.from(queries.flat()), { k });
  index.dispose();
  model.dispose();
  expect(tf.memory().numTensors).toBe(before);

  const indexDir = join(root, `${tag}-index`);
  const built = await runBregman([
    'index',
    runDir,
    '--items',
    refsFile,
    '--labels',
    labelsFile,
    '--out',
    indexDir,
    '--quiet',
  ]);
  expect(built.status, built.stderr).toBe(0);
  const saved = await loadModelWithIndex(indexDir);
  const reloaded = await saved.index.search(Float32Array.from(queries.flat()), { k });
  saved.index.dispose();
  saved.model.dispose();
  expect(Array.from(reloaded.indices)).toEqual(Array.from(inCode.indices));
  expect(Array.from(reloaded.divergences)).toEqual(Array.from(inCode.divergences));
  expect(Array.from(reloaded.labels!)).toEqual(Array.from(inCode.labels!));

  // Probabilities fitted on labelled validation rows (the queries here) are saved with the index and loaded with it,
  // as index.fitTemperature fits them in code.
  const validationLabelsFile = join(root, `${tag}-validation-labels.json`);
  const validationLabels = queries.map((_, i) => i % 3);
  writeFileSync(validationLabelsFile, JSON.stringify(validationLabels));
  const calibratedDir = join(root, `${tag}-calibrated-index`);
  const calibrated = await runBregman([
    'index',
    runDir,
    '--items',
    refsFile,
    '--labels',
    labelsFile,
    '--validation-items',
    queriesFile,
    '--validation-labels',
    validationLabelsFile,
    '--out',
    calibratedDir,
    '--quiet',
    '--json',
  ]);
  expect(calibrated.status, calibrated.stderr).toBe(0);
  const fitModel = await loadModel(join(runDir, 'model'));
  const fitIndex = await fitModel.index(Float32Array.from(refs.flat()), Int32Array.from(labels));
  const fitted = await fitIndex.fitTemperature(Float32Array.from(queries.flat()), validationLabels);
  expect(JSON.parse(calibrated.stdout).calibration).toEqual({
    temperature: fitted.temperature,
    knnTemperature: fitted.knn.temperature,
    k: fitted.knn.k,
  });
  const loadedCalibrated = await loadModelWithIndex(calibratedDir);
  expect(loadedCalibrated.index.temperature).toBe(fitted.temperature);
  expect(loadedCalibrated.index.knnKernel).toEqual(fitIndex.knnKernel);
  for (const x of [fitIndex, fitModel, loadedCalibrated.index, loadedCalibrated.model]) x.dispose();
  const half = await runBregman([
    'index',
    runDir,
    '--items',
    refsFile,
    '--validation-items',
    queriesFile,
    '--out',
    join(root, `${tag}-x`),
  ]);
  expect(half.status).toBe(2);
  expect(half.stderr.trim()).toBe(
    'bregman: index: expected --validation-items and --validation-labels together, got only one of them',
  );

  for (const how of [
    ['--references', refsFile, '--reference-labels', labelsFile],
    ['--index', indexDir],
  ]) {
    const cli = await runBregman(['query', runDir, '--input', queriesFile, '--k', String(k), ...how, '--quiet']);
    expect(cli.status, cli.stderr).toBe(0);
    const answer = JSON.parse(cli.stdout) as {
      results: { neighbours: { index: number; label: number; divergence: number }[] }[];
    };
    const flat = answer.results.flatMap((r) => r.neighbours);
    expect(flat.map((n) => n.index)).toEqual(Array.from(inCode.indices));
    expect(flat.map((n) => n.label)).toEqual(Array.from(inCode.labels!));
    expect(Float32Array.from(flat.map((n) => n.divergence))).toEqual(inCode.divergences);
  }
}

describe('a model trained through the CLI, used from code and through index / query', () => {
  it('a CSV model: the same neighbours and divergences in code, after save and reload, and from the CLI', async () => {
    const csv = join(root, 'table.csv');
    writeFileSync(
      csv,
      `a,b,c,d,label\n${rows(90, 4, 1)
        .map((r, i) => `${r.map((v) => v.toFixed(3)).join(',')},${['x', 'y', 'z'][i % 3]}`)
        .join('\n')}\n`,
    );
    const runDir = await train(csv, join(root, 'csv-run'));
    await checkSameAnswers(runDir, rows(40, 4, 2), rows(6, 4, 3), 'csv');
  });

  it('a PNG-folder model (raw 0–255 pixels in, the manifest divides): the same answers', async () => {
    const images = join(root, 'images');
    const rng = new SeededRandom(4);
    for (const c of [0, 1, 2]) {
      mkdirSync(join(images, `c${c}`), { recursive: true });
      for (let i = 0; i < 12; i++) {
        const pixels = Array.from({ length: 64 }, (_, p) => (Math.floor(p / 8) === c * 3 ? 0.9 : rng.int(60) / 255));
        writeFileSync(join(images, `c${c}`, `${i}.png`), encodePng(pixels, 8, 8));
      }
    }
    const runDir = await train(images, join(root, 'png-run'));
    const pixelRows = (n: number, seed: number) =>
      rows(n, 64, seed, 10).map((r) => r.map((v) => Math.min(255, Math.max(0, Math.round(Math.abs(v))))));
    await checkSameAnswers(runDir, pixelRows(30, 5), pixelRows(4, 6), 'png');
  });

  it("model.predict's k-NN accuracy on MNIST digits (closed-set) equals the run's reported kNN accuracy", async () => {
    const out = join(root, 'mnist-run');
    const done = await runBregman([
      ...['train', '--dataset', 'mnist-digits', '--protocol', 'closed-set', '--hidden', '32', '--embedding-dim', '8'],
      ...['--icnn-hidden', '16', '--epochs', '2', '--steps-per-epoch', '5', '--max-train-samples', '600'],
      ...['--max-eval-samples', '300', '--seed', '2', '--quiet', '--out', out],
    ]);
    expect(done.status, done.stderr).toBe(0);
    const runDir = join(out, readdirSync(out)[0]!);
    const report = JSON.parse(readFileSync(join(runDir, 'results.json'), 'utf8')) as {
      results: { model: string; querySlot?: string; metrics: Record<string, number> }[];
    };
    const trained = report.results.find((r) => r.model === 'trained' && r.querySlot === 'left')!.metrics;
    const reported = trained.knnAccuracy!;
    // Closed-set runs also score calibrated class probabilities (centroid posterior, τ fitted on validation).
    for (const key of ['nll', 'brier', 'ece', 'adaptiveEce', 'aurc', 'centroidAccuracy', 'temperature'])
      expect(Number.isFinite(trained[key]), key).toBe(true);
    expect(trained.ece).toBeGreaterThanOrEqual(0);
    expect(trained.ece).toBeLessThanOrEqual(1);
    // The run's own test part, as it was split (the same config, the same seeded split).
    const config = validateRunConfig(JSON.parse(readFileSync(join(runDir, 'config.json'), 'utf8')));
    const { test } = await prepareData(config);
    const model = await loadModel(join(runDir, 'model'));
    const index = await model.index(test.features, test.labels, { batchSize: 500 });
    const largest = Math.max(...[...new Set(test.labels)].map((c) => test.labels.filter((l) => l === c).length));
    const votes = Math.min(10, largest - 1);
    const prediction = await index.predict(test.features, { k: votes, excludeSelf: true, batchSize: 500 });
    let right = 0;
    for (let i = 0; i < test.labels.length; i++) if (prediction.knn.labels[i] === test.labels[i]) right++;
    index.dispose();
    model.dispose();
    expect(right / test.labels.length).toBe(reported);
  });
});
