import { SeededRandom } from '@empirical-bregman/common';
import { type LabelledData, MPerClassSampler } from '@empirical-bregman/datasets';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { CliError } from '../../cli-error';
import { validateRunConfig } from '../../config/validate-run-config';
import {
  LOSSES,
  LOSS_NAMES,
  type LossEntry,
  MINER_NAMES,
  REDUCER_NAMES,
  REDUCERS,
  type ReducerEntry,
  REGULARIZERS,
  REGULARIZER_NAMES,
  type RegularizerEntry,
} from './loss-registry';
import { batchLoss, buildModelParts } from './model-parts';
import { inProcessEngine } from './training-engine';

// One real training step of every registered loss (and miner, reducer, regularizer, cross-batch memory) through
// the retrieval task's model parts: parametrised over the registry, so a new entry is trained here by itself.

const CLASSES = 4;
const PER_CLASS = 6;
const DIM = 6;

/** 4 classes × 6 samples of width 6 around a per-class centre: a small batch the m-per-class sampler can fill. */
function tinyData(): LabelledData {
  const rng = new SeededRandom(7);
  const labels = Int32Array.from({ length: CLASSES * PER_CLASS }, (_, i) => Math.floor(i / PER_CLASS));
  const features = Float32Array.from({ length: labels.length * DIM }, (_, k) => {
    const c = labels[Math.floor(k / DIM)]!;
    return (k % DIM === c ? 1 : 0) + rng.normal(0, 0.3);
  });
  return { name: 'tiny', features, labels, sampleShape: [DIM], numClasses: CLASSES };
}

/** A tiny retrieval config of `settings`, on the loss's own head when it needs one, else the ICNN head. */
function tinyConfig(settings: Record<string, unknown>) {
  const loss = LOSSES[(settings.loss ?? 'triplet') as keyof typeof LOSSES] as LossEntry;
  return validateRunConfig({
    dataset: 'mnist-digits',
    divergence: loss.needsDivergence ?? 'icnn',
    hidden: [8],
    embeddingDim: 4,
    icnnHidden: [8],
    batchSize: 12,
    seed: 3,
    ...settings,
  });
}

const norm = (t: tf.Tensor) => tf.tidy(() => tf.sqrt(tf.sum(tf.square(t))).dataSync()[0]!);
const snapshot = (vars: readonly tf.Variable[]) => vars.map((v) => Array.from(v.dataSync()));
const changed = (before: number[][], vars: readonly tf.Variable[]) =>
  vars.some((v, i) => v.dataSync().some((x, j) => x !== before[i]![j]));

/**
 * Builds the run's model parts, checks the gradients of one batch's loss (finite; non-zero on the trunk, on the
 * head when it learns, and on the loss's own weights), takes one optimizer step with the in-thread engine, and
 * checks that the trunk, the head and the loss's weights moved; no tensor is left behind.
 */
async function trainOneStep(
  settings: Record<string, unknown>,
  { strict = true } = {},
): Promise<{ loss: number; lossVars: number }> {
  const config = tinyConfig(settings);
  const data = tinyData();
  const before = tf.memory().numTensors;
  const parts = buildModelParts(config, data.sampleShape, false, CLASSES);
  const { trunkVars, headVars } = parts;
  const lossVars = parts.loss.trainableVariables;
  const headOnly = headVars.filter((v) => !lossVars.includes(v));
  try {
    // Every loss variable reaches the head's optimizer (and so the checkpoint's `loss/i` arrays).
    for (const v of lossVars) expect(headVars).toContain(v);
    // The first 3 samples of each class: an m-per-class batch (m = 3) of 12.
    const rows = [0, 1, 2, 6, 7, 8, 12, 13, 14, 18, 19, 20];
    const batch = tf.tensor2d(
      Float32Array.from(rows.flatMap((r) => Array.from(data.features.subarray(r * DIM, (r + 1) * DIM)))),
      [rows.length, DIM],
    );
    const labels = tf.tensor1d(Int32Array.from(rows.map((r) => data.labels[r]!)), 'int32');
    const { value, grads } = tf.variableGrads(
      () => batchLoss(config, parts, batch, labels),
      [...trunkVars, ...headVars],
    );
    const lossValue = value.dataSync()[0]!;
    expect(Number.isFinite(lossValue)).toBe(true);
    for (const g of Object.values(grads)) expect(Number.isFinite(norm(g))).toBe(true);
    const total = (vars: readonly tf.Variable[]) => vars.reduce((sum, v) => sum + norm(grads[v.name]!), 0);
    if (strict) {
      expect(total(trunkVars)).toBeGreaterThan(0);
      if (headOnly.length > 0) expect(total(headOnly)).toBeGreaterThan(0);
      for (const v of lossVars) expect(norm(grads[v.name]!)).toBeGreaterThan(0);
    }
    tf.dispose([value, batch, labels, ...Object.values(grads)]);

    const trunkBefore = snapshot(trunkVars);
    const headBefore = snapshot(headOnly);
    const lossBefore = snapshot(lossVars);
    const sampler = new MPerClassSampler(data.labels, 3, 12, { seed: 1 });
    const engine = inProcessEngine({ config, parts, sampler, train: data });
    try {
      expect(Number.isFinite(await engine.step())).toBe(true);
    } finally {
      await engine.dispose();
    }
    if (strict) {
      expect(changed(trunkBefore, trunkVars)).toBe(true);
      if (headOnly.length > 0) expect(changed(headBefore, headOnly)).toBe(true);
      if (lossVars.length > 0) expect(changed(lossBefore, lossVars)).toBe(true);
    }
    parts.dispose();
    expect(tf.memory().numTensors).toBe(before);
    return { loss: lossValue, lossVars: lossVars.length };
  } catch (error) {
    parts.dispose();
    throw error;
  }
}

describe('every registered loss trains one step through the retrieval model parts', () => {
  it.each(LOSS_NAMES)('%s', async (loss) => {
    const { lossVars } = await trainOneStep({ loss });
    const entry: LossEntry = LOSSES[loss];
    // The losses with class weights have them as variables (MarginLoss's β is the one other learnable value).
    if (entry.classWeights !== undefined) expect(lossVars).toBeGreaterThan(0);
    if (entry.classWeights === undefined && loss !== 'margin') expect(lossVars).toBe(0);
  });
});

describe('every registered miner trains one step (with the triplet loss)', () => {
  it.each(MINER_NAMES)('%s', async (miner) => {
    await trainOneStep({ miner });
  });
});

/**
 * `settings` with every registered loss: each combination the config validator accepts takes one step with a finite
 * loss (so the validator refuses every combination that would fail mid-run); returns the losses it accepted. Not
 * strict about non-zero gradients: a miner may find nothing to mine in a small random batch (a zero loss is normal).
 */
async function everyAcceptedLoss(settings: Record<string, unknown>): Promise<string[]> {
  const accepted: string[] = [];
  for (const loss of LOSS_NAMES) {
    try {
      tinyConfig({ loss, ...settings });
    } catch (error) {
      // A refusal is a config error of one line, never a crash.
      expect(error).toBeInstanceOf(CliError);
      expect((error as CliError).code).toBe('INVALID_ARGUMENT');
      continue;
    }
    await trainOneStep({ loss, ...settings }, { strict: false });
    accepted.push(loss);
  }
  return accepted;
}

describe('every registered miner trains one step with every loss the validator accepts it with', () => {
  it.each(MINER_NAMES)('%s', async (miner) => {
    const accepted = await everyAcceptedLoss({ miner });
    expect(accepted).toContain('triplet');
    expect(accepted).toContain('contrastive');
    // With the triplet loss the gradients reach the trunk and the head, and the step moves them.
    await trainOneStep({ loss: 'triplet', miner });
  });
});

describe('every registered reducer trains one step with every loss the validator accepts it with', () => {
  it.each(REDUCER_NAMES)('%s', async (reducer) => {
    const accepted = await everyAcceptedLoss({ reducer });
    expect(accepted).toContain('contrastive');
    expect(accepted).toContain('supcon');
    // Per-sample classification and proxy losses have anchors (their samples): every reducer, per-anchor included.
    for (const loss of ['arc-face', 'cos-face', 'proxy-nca', 'soft-triple', 'bregman-softmax-proxies'])
      expect(accepted).toContain(loss);
    // Only the terms without anchors are refused by per-anchor.
    if ((REDUCERS[reducer] as ReducerEntry).needsAnchors)
      expect(LOSS_NAMES.filter((n) => !accepted.includes(n)).sort()).toEqual(['histogram', 'proxy-anchor']);
    await trainOneStep({ loss: 'contrastive', reducer });
  });
});

describe('every registered regularizer trains one step with every loss the validator accepts it with', () => {
  it.each(REGULARIZER_NAMES)('%s', async (regularizer) => {
    const entry: RegularizerEntry = REGULARIZERS[regularizer];
    const accepted = await everyAcceptedLoss({ regularizer });
    const weightLosses = LOSS_NAMES.filter((n) => (LOSSES[n] as LossEntry).classWeights !== undefined);
    if (entry.on === 'embeddings') expect(accepted).toEqual(LOSS_NAMES);
    else if (!entry.needsCenters) expect(accepted).toEqual(weightLosses);
    else expect(accepted).toEqual(['sub-center-arc-face', 'soft-triple']);
  });

  it.each(REGULARIZER_NAMES)('%s adds its weighted penalty to the loss', async (regularizer) => {
    const entry: RegularizerEntry = REGULARIZERS[regularizer];
    const loss = entry.needsCenters ? 'soft-triple' : entry.on === 'weights' ? 'cos-face' : 'triplet';
    const plain = await trainOneStep({ loss });
    const once = await trainOneStep({ loss, regularizer });
    const twice = await trainOneStep({ loss, regularizer, regularizerWeight: 2 });
    // Same seeds, same batch: loss + w·R, so (w = 2) − (w = 1) = (w = 1) − plain = R > 0 (each of these penalties is
    // positive at random weights and embeddings).
    expect(once.loss).toBeGreaterThan(plain.loss);
    expect(twice.loss - once.loss).toBeCloseTo(once.loss - plain.loss, 4);
  });
});

describe('cross-batch memory (--memory-size) trains with every loss that compares with other embeddings', () => {
  it('trains every loss without class weights, and the validator refuses the others', async () => {
    const accepted = await everyAcceptedLoss({ memorySize: 24 });
    expect(accepted).toEqual(LOSS_NAMES.filter((n) => (LOSSES[n] as LossEntry).classWeights === undefined));
    await trainOneStep({ loss: 'contrastive', memorySize: 24 });
  });

  it('mines batch × memory with the run’s miner', async () => {
    await trainOneStep({ loss: 'contrastive', miner: 'pair-margin', memorySize: 24 });
  });
});

describe('--memory-size wraps the loss in a cross-batch memory', () => {
  it('compares the second batch with the first: 5 positives per anchor instead of 2 (hand count)', () => {
    const data = tinyData();
    const parts = buildModelParts(tinyConfig({ loss: 'contrastive', memorySize: 24 }), [DIM], false, CLASSES);
    try {
      // Two m-per-class batches of 4 classes × 3: the first 3 and the last 3 samples of each class.
      for (const first of [0, 3]) {
        const rows = [0, 1, 2, 3].flatMap((c) => [0, 1, 2].map((k) => c * PER_CLASS + first + k));
        tf.tidy(() => {
          const x = tf.tensor2d(
            Float32Array.from(rows.flatMap((r) => Array.from(data.features.subarray(r * DIM, (r + 1) * DIM)))),
            [rows.length, DIM],
          );
          parts.loss.compute(parts.trunk.apply(x) as tf.Tensor2D, Int32Array.from(rows.map((r) => data.labels[r]!)));
        });
      }
      // Batch 2 against [batch 2; batch 1]: each of 12 anchors has 2 same-class rows in its batch and 3 in the
      // memory (self excluded): 12 · 5 = 60 positive pairs; negatives 12 · (24 − 6) = 216.
      expect(parts.loss.lastStats?.positivePairs).toBe(60);
      expect(parts.loss.lastStats?.negativePairs).toBe(216);
    } finally {
      parts.dispose();
    }
  });
});
