import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '@empirical-bregman/runtime';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { evalCommand } from '../commands/eval-command';
import { writeJson } from './run-folder';
import { writeRunOutputs } from './write-outputs';
import { validateRunConfig } from '../config/validate-run-config';
import { createProgress } from './progress';
import { tinyRunConfig, trainQuietly } from '../testing/tiny-run';
import { SimulatedCrash } from './run-epochs';
import { trainRun } from './train-run';

const root = mkdtempSync(join(tmpdir(), 'eb-train-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

// A small but real run: MNIST digits from the mnist package, class-disjoint, ICNN divergence (asymmetric).
const tiny = tinyRunConfig();
const run = (dir: string, extra: { resume?: boolean; stopAfterSteps?: number } = {}) => trainQuietly(tiny, dir, extra);

describe('trainRun', () => {
  it('trains, checkpoints every epoch, and keeps the tensor count flat', async () => {
    const dir = join(root, 'plain');
    const before = tf.memory().numTensors;
    const outcome = await run(dir);
    expect(tf.memory().numTensors).toBe(before);
    expect(outcome.epochsRun).toBe(3);
    // numTensors after each epoch: must not grow.
    expect(new Set(outcome.tensorsPerEpoch).size).toBe(1);
    const losses = outcome.report.curves.filter((c) => c.metric === 'loss').map((c) => c.value);
    expect(losses).toHaveLength(3);
    const rows = outcome.report.results;
    expect(rows.map((r) => `${r.model}/${r.divergence}/${r.querySlot ?? '-'}`)).toEqual([
      'raw input/euclidean/-',
      'raw input/cosine/-',
      'untrained network/icnn/left',
      'untrained network/icnn/right',
      'trained/icnn/left',
      'trained/icnn/right',
    ]);
    for (const r of rows) {
      for (const key of ['precisionAt1', 'mapAtR', 'rPrecision', 'recallAt1', 'nmi', 'ami']) {
        expect(r.metrics[key], `${r.model} ${key}`).toBeGreaterThanOrEqual(0);
        expect(r.metrics[key], `${r.model} ${key}`).toBeLessThanOrEqual(1);
      }
    }
    const lines = readFileSync(join(dir, 'metrics.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.epoch)).toEqual([0, 1, 2, 3]);
    expect(readdirSync(dir)).toEqual(
      expect.arrayContaining(['checkpoint.bin', 'best-weights.bin', 'metrics.jsonl', 'model']),
    );
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    // The report's figures: a 2-D projection, the divergence matrix sorted by class, retrieval examples (images).
    const { projection, divergenceMatrix, retrievalExamples } = outcome.report;
    expect(projection?.x).toHaveLength(300);
    expect(divergenceMatrix?.labels).toEqual([...(divergenceMatrix?.labels ?? [])].sort((a, b) => a - b));
    expect(divergenceMatrix?.values.every((row, i) => Math.abs(row[i]!) < 1e-3)).toBe(true);
    expect(retrievalExamples?.examples.length).toBeGreaterThan(0);
    expect(retrievalExamples?.examples[0]?.query.pixels).toHaveLength(784);
    // Class-disjoint: unseen-class detection of the test classes against held-out items of the training classes,
    // on the trained row with the query on the left, and as a report section.
    const trained = rows.find((r) => r.model === 'trained' && r.querySlot === 'left')!.metrics;
    for (const score of ['MinDivergence', 'MaxPosterior', 'Energy', 'Knn'])
      for (const key of [`unseenAuroc${score}`, `unseenFpr95${score}`]) {
        expect(trained[key], key).toBeGreaterThanOrEqual(0);
        expect(trained[key], key).toBeLessThanOrEqual(1);
      }
    expect(rows.find((r) => r.model === 'trained' && r.querySlot === 'right')!.metrics).not.toHaveProperty(
      'unseenAurocEnergy',
    );
    const unseen = outcome.report.unseenClasses!;
    expect(unseen.scores.map((s) => s.score)).toEqual(['minDivergence', 'maxPosterior', 'energy', 'knn']);
    expect(unseen.scores[0]!.auroc).toBe(trained.unseenAurocMinDivergence);
    expect(unseen.unseenItems).toBe(300);
    expect(unseen.seenItems).toBeGreaterThan(0);
    expect(outcome.report.calibration).toBeUndefined();
    // bregman eval re-scores the saved model the same way, detection included (the run held out its seen part): the
    // run folder as `bregman train` leaves it (config.json, results.json).
    writeJson(join(dir, 'config.json'), tiny);
    await writeRunOutputs(dir, outcome.report);
    const { report: again } = await evalCommand(dir, { quiet: true });
    expect(again.unseenClasses).toEqual(unseen);
    expect(again.results.find((r) => r.model === 'trained' && r.querySlot === 'left')!.metrics).toEqual(trained);
  });

  it('trains the learned divergence for real: closed-set ICNN beats the raw input by 0.2 MAP@R and the untrained network', async () => {
    const config = validateRunConfig({
      dataset: 'mnist-digits',
      protocol: 'closed-set',
      divergence: 'icnn',
      hidden: [128],
      embeddingDim: 32,
      icnnHidden: [64],
      epochs: 4,
      patience: 0,
      maxTrainSamples: 3000,
      maxEvalSamples: 800,
      seed: 2,
    });
    const backend = await initBackend({ quiet: true });
    const outcome = await trainRun(config, {
      dir: join(root, 'pays'),
      backend,
      progress: createProgress({ quiet: true }),
    });
    const losses = outcome.report.curves.filter((c) => c.metric === 'loss').map((c) => c.value);
    expect(losses[losses.length - 1]!).toBeLessThan(losses[0]!);
    const mapAtR = (model: string, divergence: string) =>
      Math.max(
        ...outcome.report.results
          .filter((r) => r.model === model && r.divergence === divergence)
          .map((r) => r.metrics.mapAtR!),
      );
    const raw = Math.max(mapAtR('raw input', 'euclidean'), mapAtR('raw input', 'cosine'));
    expect(mapAtR('trained', 'icnn')).toBeGreaterThan(raw + 0.2);
    expect(mapAtR('trained', 'icnn')).toBeGreaterThan(mapAtR('untrained network', 'icnn'));
    // Closed-set: both probability estimators are scored; no unseen classes to detect.
    const trained = outcome.report.results.find((r) => r.model === 'trained' && r.querySlot === 'left')!.metrics;
    for (const key of ['nll', 'ece', 'knnNll', 'knnBrier', 'knnEce'])
      expect(Number.isFinite(trained[key]), key).toBe(true);
    expect(trained.knnEce).toBeLessThan(0.1);
    expect(outcome.report.unseenClasses).toBeUndefined();
  });

  it('resumes after a crash mid-epoch and ends with exactly the metrics of an uninterrupted run', async () => {
    const reference = await run(join(root, 'reference'));
    const dir = join(root, 'crashed');
    // Crash in the middle of epoch 2 (6 steps per epoch): the checkpoint after epoch 1 survives.
    await expect(run(dir, { stopAfterSteps: 9 })).rejects.toBeInstanceOf(SimulatedCrash);
    const resumed = await run(dir, { resume: true });
    expect(resumed.report.results).toEqual(reference.report.results);
    expect(resumed.report.curves).toEqual(reference.report.curves);
  });
});
