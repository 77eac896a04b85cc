import { SeededRandom } from '@empirical-bregman/common';
import { type LabelledData, MPerClassSampler } from '@empirical-bregman/datasets';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { validateRunConfig } from '../../config/validate-run-config';
import { buildModelParts } from './model-parts';
import { inProcessEngine } from './training-engine';

/** 4 classes × 6 samples of width 6 around a per-class centre. */
function tinyData(): LabelledData {
  const rng = new SeededRandom(7);
  const labels = Int32Array.from({ length: 24 }, (_, i) => Math.floor(i / 6));
  const features = Float32Array.from({ length: 24 * 6 }, (_, k) => {
    const c = labels[Math.floor(k / 6)]!;
    return (k % 6 === c ? 1 : 0) + rng.normal(0, 0.3);
  });
  return { name: 'tiny', features, labels, sampleShape: [6], numClasses: 4 };
}

/** The largest |change| of the head's variables after one step of the in-thread engine. */
async function headStep(settings: Record<string, unknown>, totalSteps: number): Promise<number> {
  const config = validateRunConfig({
    dataset: 'mnist-digits',
    divergence: 'icnn',
    icnnResidual: true,
    loss: 'bregman-softmax',
    hidden: [8],
    embeddingDim: 4,
    icnnHidden: [8],
    batchSize: 12,
    divergenceLearningRate: 0.01,
    ...settings,
  });
  const data = tinyData();
  const before = tf.memory().numTensors;
  const parts = buildModelParts(config, data.sampleShape, false, 4);
  const snapshot = parts.headVars.map((v) => Array.from(v.dataSync()));
  const engine = inProcessEngine({
    config,
    parts,
    sampler: new MPerClassSampler(data.labels, 3, 12, { seed: 1 }),
    train: data,
    totalSteps,
  });
  await engine.step();
  await engine.dispose();
  const moved = Math.max(
    ...parts.headVars.flatMap((v, i) => Array.from(v.dataSync(), (x, j) => Math.abs(x - snapshot[i]![j]!))),
  );
  parts.dispose();
  expect(tf.memory().numTensors).toBe(before);
  return moved;
}

describe('the head learning-rate schedule in the in-thread engine', () => {
  it("sets the head's Adam rate from its step count: one step moves the residual head's gate by ±η(0)", async () => {
    // Adam's first step moves a variable by η · g/(|g| + ε) ≈ ±η; at the start only the residual head's gate has a
    // gradient (the gated ICNN's weights get g · (…) = 0), so the largest change is |Δγ| = η(0).
    // constant: η = 0.01; warmup-cosine over T = 100 steps: η(0) = 0.01 · 1/10 · ½(1 + cos 0) = 0.001.
    const constant = await headStep({}, 100);
    const scheduled = await headStep({ divergenceSchedule: 'warmup-cosine' }, 100);
    expect(constant).toBeCloseTo(0.01, 4);
    expect(scheduled).toBeCloseTo(0.001, 5);
  });
});
