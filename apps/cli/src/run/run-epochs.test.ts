import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SeededRandom, type SeededRandomState } from '@empirical-bregman/common';
import { initBackend } from '@empirical-bregman/runtime';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { settingOf } from '../config/run-config';
import { validateRunConfig } from '../config/validate-run-config';
import { registerTask } from '../tasks/task-registry';
import { createProgress } from './progress';
import { CHECKPOINT_FILE, SimulatedCrash } from './run-epochs';
import { variableArrays, assignVariables } from './stored-variables';
import type { Task } from './task';
import { trainRun } from './train-run';

const root = mkdtempSync(join(tmpdir(), 'eb-run-epochs-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/**
 * A third task, as small as a task can be: fit w in y = w·x (true w = 3) by SGD on batches drawn from a seeded
 * stream. It only knows its data, model and metric; the loop gives it epochs, early stopping, checkpoints and resume.
 */
const lineFitTask: Task = {
  name: 'line-fit',
  description: 'test fixture: fit y = w·x',
  savesEmbeddingModel: false,
  // Its own setting: the slope the data follow (accepted only in line-fit configs).
  settings: { lineSlope: { kind: 'number', default: 3, doc: 'the slope of the line to fit' } },
  async start(config) {
    // Made in a tidy, so that the initial value's tensor is freed (the variable keeps its own).
    const w = tf.tidy(() => tf.variable(tf.scalar(0), true, `line-fit-w-${Math.random()}`));
    const optimizer = tf.train.sgd(0.2);
    const stream = new SeededRandom(`${config.seed}/line-fit`);
    const valX = tf.tensor1d([-1, -0.5, 0.5, 1]);
    const slope = settingOf<number>(config, 'lineSlope') ?? 3;
    const mseOf = (x: tf.Tensor1D) => tf.mean(tf.squaredDifference(tf.mul(w, x), tf.mul(slope, x))) as tf.Scalar;
    return {
      stepsPerEpoch: 4,
      trainable: true,
      selection: { metric: 'mse', better: 'lower' },
      lossName: 'MSE',
      nonFiniteAdvice: 'Lower the step size.',
      validate: async () => ({ mse: tf.tidy(() => mseOf(valX).dataSync()[0]!) }),
      untrainedBaseline: async () => ({ w: w.dataSync()[0]! }),
      async step() {
        const x = tf.tensor1d(Array.from({ length: 8 }, () => stream.uniform(-1, 1)));
        const loss = tf.tidy(() => optimizer.minimize(() => mseOf(x), true)!);
        x.dispose();
        const value = loss.dataSync()[0]!;
        loss.dispose();
        return value;
      },
      endEpoch: async (meanLoss) => ({ mse: meanLoss }),
      summarizeEpoch: (train, val) => `train MSE ${train.mse}, val MSE ${val.mse}`,
      weightArrays: () => variableArrays('line', [w]),
      restoreWeights: (arrays) => assignVariables('line', [w], arrays),
      optimizerArrays: async () => [],
      restoreOptimizers: async () => {},
      dataState: () => stream.getState(),
      restoreDataState: (state) => stream.setState(state as SeededRandomState),
      async finish(_dir, run) {
        return {
          title: 'line fit',
          results: [{ protocol: 'closed-set', model: 'trained', divergence: 'none', metrics: { w: w.dataSync()[0]! } }],
          notes: [`untrained ${JSON.stringify(run.untrainedBaseline)}, best epoch ${run.bestEpoch}`],
          sections: {},
        };
      },
      async dispose() {
        tf.dispose([w, valX]);
        optimizer.dispose();
      },
    };
  },
};

// One line registers it.
registerTask(lineFitTask);

describe('runEpochs with a third task registered in one line', () => {
  const config = validateRunConfig({ task: 'line-fit', epochs: 5, patience: 0, seed: 3 });
  const train = async (dir: string, extra: { resume?: boolean; stopAfterSteps?: number } = {}) =>
    trainRun(config, {
      dir,
      backend: await initBackend({ quiet: true }),
      progress: createProgress({ quiet: true }),
      ...extra,
    });

  it('trains it, writes the metrics file and the checkpoint, and frees every tensor', async () => {
    expect(config.task).toBe('line-fit');
    const before = tf.memory().numTensors;
    const dir = join(root, 'plain');
    const outcome = await train(dir);
    expect(tf.memory().numTensors).toBe(before);
    expect(outcome.epochsRun).toBe(5);
    expect(outcome.report.results[0]!.metrics.w).toBeGreaterThan(2.5);
    expect(outcome.report.notes?.[0]).toBe('untrained {"w":0}, best epoch 5');
    expect(readFileSync(join(dir, 'metrics.jsonl'), 'utf8').trim().split('\n')).toHaveLength(6);
    expect(existsSync(join(dir, CHECKPOINT_FILE))).toBe(true);
  });

  it('resumes after a crash mid-epoch with exactly the results of an uninterrupted run', async () => {
    const reference = await train(join(root, 'reference'));
    const dir = join(root, 'crashed');
    await expect(train(dir, { stopAfterSteps: 10 })).rejects.toBeInstanceOf(SimulatedCrash);
    const resumed = await train(dir, { resume: true });
    expect(resumed.report.results).toEqual(reference.report.results);
    expect(resumed.report.curves).toEqual(reference.report.curves);
  });

  it('takes its own setting, in its configs only', async () => {
    const negative = validateRunConfig({ task: 'line-fit', lineSlope: -2, epochs: 5, patience: 0, seed: 3 });
    expect(settingOf(negative, 'lineSlope')).toBe(-2);
    expect(settingOf(config, 'lineSlope')).toBe(3);
    const outcome = await train(join(root, 'negative'));
    expect(outcome.report.results[0]!.metrics.w).toBeGreaterThan(2.5);
    const fitted = await trainRun(negative, {
      dir: join(root, 'negative-slope'),
      backend: await initBackend({ quiet: true }),
      progress: createProgress({ quiet: true }),
    });
    expect(fitted.report.results[0]!.metrics.w).toBeLessThan(-1.5);
    expect(() => validateRunConfig({ lineSlope: 2 })).toThrow(/unknown key "lineSlope"/);
  });

  it('refuses to resume a checkpoint of another task', async () => {
    const dir = join(root, 'plain');
    const other = validateRunConfig({ dataset: 'divergence-regression', epochs: 1 });
    await expect(
      trainRun(other, {
        dir,
        backend: await initBackend({ quiet: true }),
        progress: createProgress({ quiet: true }),
        resume: true,
      }),
    ).rejects.toThrow(/^resume: expected a checkpoint of a divergence-regression run at .*, got one of line-fit$/);
  });
});
