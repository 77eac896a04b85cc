import * as tf from '@tensorflow/tfjs-core';
import { BregmanDivergence, SquaredEuclideanDivergence } from '@empirical-bregman/bregman-core';
import { IcnnConvexFunction } from '@empirical-bregman/convex-net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BatchHardMiner,
  ContrastiveLoss,
  CrossBatchMemory,
  LossesError,
  MeanReducer,
  MultipleLosses,
  pairIndices,
  disposeIndices,
  TripletMarginLoss,
} from '../index';
import { expectGradientMatches, type Matrix, mean, sqDist } from '../testing/float64';

// Expected values: contrastive and batch-hard triplet losses written out in float64 over the pairs each wrapper
// must form (batch against memory, self pairs excluded), never with the code under test.

const sq = new SquaredEuclideanDivergence();
let learned: BregmanDivergence;
beforeAll(() => {
  learned = new BregmanDivergence(new IcnnConvexFunction({ dim: 2, hiddenSizes: [6], seed: 3 }));
});
afterAll(() => learned.dispose());

const B1: Matrix = [
  [0.1, 0.2],
  [0.4, -0.3],
  [-0.5, 0.6],
];
const L1 = [0, 1, 1];
const B2: Matrix = [
  [0.9, 0.1],
  [-0.2, -0.8],
  [0.3, 0.7],
];
const L2 = [1, 0, 2];
const B3: Matrix = [
  [0.0, 0.0],
  [0.5, 0.5],
];
const L3 = [2, 0];
const NEG = 1.5;

/** Contrastive (posMargin 0, negMargin 1.5, MeanReducer per term) of anchors x against refs (rows k < n of the refs are the anchors themselves). */
function contrastiveRef(x: Matrix, lx: number[], refs: Matrix, lr: number[]): number {
  const pos: number[] = [];
  const neg: number[] = [];
  x.forEach((a, i) => {
    refs.forEach((r, j) => {
      if (j === i) return; // the self pair (row i of the head)
      if (lx[i] === lr[j]) pos.push(sqDist(a, r));
      else neg.push(Math.max(0, NEG - sqDist(a, r)));
    });
  });
  return mean(pos) + mean(neg);
}
/** Batch-hard triplets (farthest positive, nearest negative, self excluded), hinge with margin 1, mean over anchors with both. */
function batchHardRef(x: Matrix, lx: number[], refs: Matrix, lr: number[]): number {
  const losses: number[] = [];
  x.forEach((a, i) => {
    let dp = -1;
    let dn = Number.POSITIVE_INFINITY;
    refs.forEach((r, j) => {
      if (j === i) return;
      const d = sqDist(a, r);
      if (lx[i] === lr[j]) dp = Math.max(dp, d);
      else dn = Math.min(dn, d);
    });
    if (dp >= 0 && Number.isFinite(dn)) losses.push(Math.max(0, dp - dn + 1));
  });
  return mean(losses);
}

const contrastive = () =>
  new ContrastiveLoss({ divergence: sq, scale: 'none', negMargin: NEG, reducer: new MeanReducer() });
const run = (loss: { compute(x: tf.Tensor2D, l: number[]): tf.Scalar }, x: Matrix, labels: number[]) =>
  tf.tidy(() => loss.compute(tf.tensor2d(x), labels).dataSync()[0] as number);

describe('CrossBatchMemory', () => {
  it('compares each batch with itself and the previous batches, newest first, memorySize rows in all (FIFO)', () => {
    const xbm = new CrossBatchMemory({ loss: contrastive(), memorySize: 5 });
    // Step 1: the memory is empty, the batch is its own reference (self pairs excluded): the in-batch loss.
    expect(run(xbm, B1, L1)).toBeCloseTo(contrastiveRef(B1, L1, B1, L1), 5);
    expect(xbm.filled).toBe(3);
    // Step 2: references [B2; B1[0..1]] (5 rows: the oldest row of B1 is dropped).
    expect(run(xbm, B2, L2)).toBeCloseTo(
      contrastiveRef(B2, L2, [...B2, ...B1.slice(0, 2)], [...L2, ...L1.slice(0, 2)]),
      5,
    );
    expect(xbm.filled).toBe(5);
    // Step 3: [B3; B2] (2 + 3 rows).
    expect(run(xbm, B3, L3)).toBeCloseTo(contrastiveRef(B3, L3, [...B3, ...B2], [...L3, ...L2]), 5);
    xbm.reset();
    expect(xbm.filled).toBe(0);
    expect(run(xbm, B2, L2)).toBeCloseTo(contrastiveRef(B2, L2, B2, L2), 5);
    xbm.dispose();
  });

  it('memoryArrays → restoreMemory into a fresh memory continues exactly as the original (a resumed run)', () => {
    const original = new CrossBatchMemory({ loss: contrastive(), memorySize: 5 });
    run(original, B1, L1);
    run(original, B2, L2);
    const saved = original.memoryArrays();
    expect([saved.rows, saved.width]).toEqual([5, B1[0]!.length]);
    // Newest first: B2's rows, then B1's first two.
    expect(Array.from(saved.labels)).toEqual([...L2, ...L1.slice(0, 2)]);
    expect(Array.from(saved.embeddings.subarray(0, saved.width))).toEqual(B2[0]!.map((v) => Math.fround(v)));
    const resumed = new CrossBatchMemory({ loss: contrastive(), memorySize: 5 });
    const before = tf.memory().numTensors;
    resumed.restoreMemory(saved);
    expect(tf.memory().numTensors).toBe(before + 2);
    expect(resumed.filled).toBe(5);
    expect(run(resumed, B3, L3)).toBe(run(original, B3, L3));
    // An empty memory round-trips as empty; a wrong size is one line.
    const empty = new CrossBatchMemory({ loss: contrastive(), memorySize: 5 });
    empty.restoreMemory(empty.memoryArrays());
    expect(empty.filled).toBe(0);
    expect(() => empty.restoreMemory({ rows: 6, width: 2, embeddings: [], labels: [] })).toThrow(
      /CrossBatchMemory.restoreMemory: expected 0 … 5 rows, got 6/,
    );
    expect(() => empty.restoreMemory({ rows: 1, width: 2, embeddings: [1], labels: [0] })).toThrow(
      /expected 1·2 embedding values and 1 labels, got 1 and 1/,
    );
    for (const m of [original, resumed, empty]) m.dispose();
  });

  it('with a miner: mined against the memory, self pairs excluded (batch-hard triplets)', () => {
    const miner = new BatchHardMiner({ divergence: sq });
    const loss = new TripletMarginLoss({ divergence: sq, scale: 'none', margin: 1, reducer: new MeanReducer() });
    const xbm = new CrossBatchMemory({ loss, miner, memorySize: 16 });
    run(xbm, B1, L1);
    expect(run(xbm, B2, L2)).toBeCloseTo(batchHardRef(B2, L2, [...B2, ...B1], [...L2, ...L1]), 5);
    xbm.dispose();
  });

  it("gradients flow through the anchors only: the memory, the batch's own copy included, is held fixed", () => {
    const xbm = new CrossBatchMemory({ loss: contrastive(), memorySize: 16 });
    run(xbm, B1, L1);
    const x0 = B2;
    expectGradientMatches(
      (x) => {
        // The wrapper enqueues at every call: start each evaluation from the same memory.
        const fresh = new CrossBatchMemory({ loss: contrastive(), memorySize: 16 });
        fresh.compute(tf.tensor2d(B1), L1).dispose();
        const v = fresh.compute(x, L2);
        fresh.dispose();
        return v;
      },
      (x) => contrastiveRef(x, L2, [...x0, ...B1], [...L2, ...L1]),
      x0,
    );
    xbm.dispose();
  });

  it('boundary: too large a batch, a wrong width, a reference set are refused', () => {
    const xbm = new CrossBatchMemory({ loss: contrastive(), memorySize: 2, embeddingSize: 2 });
    const x = tf.tensor2d(B1);
    expect(() => xbm.compute(x, L1)).toThrow(/CrossBatchMemory\.compute: expected at most memorySize 2 rows, got 3/);
    const wide = tf.zeros([2, 3]) as tf.Tensor2D;
    expect(() => xbm.compute(wide, [0, 1])).toThrow(LossesError);
    expect(() => xbm.compute(x, L1, { refEmbeddings: x, refLabels: L1 })).toThrow(/expected no refEmbeddings/);
    expect(() => new CrossBatchMemory({ loss: {} as ContrastiveLoss })).toThrow(/expected loss to be a loss/);
    tf.dispose([x, wide]);
    xbm.dispose();
  });

  it('numTensors: flat over 30 optimiser steps (learned divergence, miner); dispose frees the memory', () => {
    const emb = tf.variable(tf.tensor2d([...B1, ...B2]));
    const labels = [...L1, ...L2];
    const loss = new TripletMarginLoss({ divergence: learned });
    const xbm = new CrossBatchMemory({ loss, miner: new BatchHardMiner({ divergence: learned }), memorySize: 20 });
    const optimizer = tf.train.adam(0.01);
    const step = () =>
      optimizer.minimize(() => xbm.compute(emb as tf.Tensor2D, labels), false, [emb, ...learned.trainableVariables]);
    step();
    step();
    step();
    step(); // the memory is full from here on
    const before = tf.memory().numTensors;
    for (let i = 0; i < 30; i++) step();
    expect(tf.memory().numTensors).toBe(before);
    expect(xbm.filled).toBe(20); // 6 + 14 older rows
    const held = tf.memory().numTensors;
    xbm.dispose(); // the memory: embeddings and labels
    expect(tf.memory().numTensors).toBe(held - 2);
    optimizer.dispose();
    loss.dispose();
    emb.dispose();
  });
});

describe('MultipleLosses', () => {
  it('Σ w_i loss_i, each loss with its own miner (or the call tuple)', () => {
    const x = [...B1, ...B2];
    const labels = [...L1, ...L2];
    const triplet = new TripletMarginLoss({ divergence: sq, scale: 'none', margin: 1, reducer: new MeanReducer() });
    const both = new MultipleLosses({
      losses: [contrastive(), triplet],
      weights: [2, 0.5],
      miners: [undefined, new BatchHardMiner({ divergence: sq })],
    });
    const expected = 2 * contrastiveRef(x, labels, x, labels) + 0.5 * batchHardRef(x, labels, x, labels);
    expect(run(both, x, labels)).toBeCloseTo(expected, 5);
    // Without miners the call's tuple goes to every loss: one positive (0, 2... here (1, 2)) and one negative pair.
    const plain = new MultipleLosses({ losses: [contrastive(), contrastive()] });
    const t = pairIndices([1], [2], [0], [1]);
    const d = (i: number, j: number) => sqDist(x[i] as number[], x[j] as number[]);
    const v = tf.tidy(() => plain.compute(tf.tensor2d(x), labels, { indicesTuple: t }).dataSync()[0] as number);
    expect(v).toBeCloseTo(2 * (d(1, 2) + Math.max(0, NEG - d(0, 1))), 5);
    expect(() => both.compute(tf.tensor2d(x), labels, { indicesTuple: t })).toThrow(
      /MultipleLosses\.compute: expected no indicesTuple when the losses have miners, got one/,
    );
    disposeIndices(t);
    expect(() => new MultipleLosses({ losses: [contrastive()], weights: [1, 2] })).toThrow(
      /expected weights as 1 finite numbers/,
    );
  });

  it('gradient = finite differences; wrappers nest (a memory inside)', () => {
    const x = [...B1, ...B2];
    const labels = [...L1, ...L2];
    const both = new MultipleLosses({ losses: [contrastive(), contrastive()], weights: [1, 3] });
    expectGradientMatches(
      (t) => both.compute(t, labels),
      (xx) => 4 * contrastiveRef(xx, labels, xx, labels),
      x,
    );
    const xbm = new CrossBatchMemory({ loss: contrastive(), memorySize: 8 });
    const nested = new MultipleLosses({ losses: [xbm, contrastive()] });
    expect(run(nested, B1, L1)).toBeCloseTo(2 * contrastiveRef(B1, L1, B1, L1), 5);
    expect(xbm.filled).toBe(3);
    xbm.dispose();
  });
});
