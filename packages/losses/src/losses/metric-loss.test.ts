import * as tf from '@tensorflow/tfjs-core';
import { BregmanDivergence, type Divergence, SquaredEuclideanDivergence } from '@empirical-bregman/bregman-core';
import { isEmpiricalBregmanError } from '@empirical-bregman/common';
import { IcnnConvexFunction } from '@empirical-bregman/convex-net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BatchHardMiner,
  BregmanSoftmaxLoss,
  ContrastiveLoss,
  disposeIndices,
  LiftedStructureLoss,
  LossesError,
  MarginLoss,
  type MetricLoss,
  type MetricLossOptions,
  MultiSimilarityLoss,
  NCALoss,
  NTXentLoss,
  ProxyAnchorLoss,
  ProxyNCALoss,
  SupConLoss,
  TripletMarginLoss,
  tripletIndices,
} from '../index';

const sq = new SquaredEuclideanDivergence();
// Created in beforeAll: the backend is initialised by the setup's own beforeAll.
let learned: BregmanDivergence;
beforeAll(() => {
  learned = new BregmanDivergence(new IcnnConvexFunction({ dim: 2, hiddenSizes: [6], seed: 7 }));
});
afterAll(() => learned.dispose());

const X = [
  [0.1, 0.2],
  [0.4, -0.3],
  [-0.5, 0.6],
  [0.9, 0.1],
  [-0.2, -0.8],
  [0.3, 0.7],
];
const LABELS = [0, 0, 1, 1, 2, 2];

function makeLosses(
  divergence: SquaredEuclideanDivergence | BregmanDivergence,
  scale: 'none' | 'batch-mean' = 'none',
): MetricLoss[] {
  const proxyInit = [
    [0.2, 0.1],
    [-0.3, 0.5],
    [0.1, -0.6],
  ];
  const common = { divergence, scale } as const;
  return [
    new TripletMarginLoss({ ...common, softMargin: true }),
    new ContrastiveLoss({ ...common, posMargin: 0.01, negMargin: 5 }),
    new MultiSimilarityLoss({ ...common, alpha: 2, beta: 5 }),
    new LiftedStructureLoss({ ...common, margin: 1 }),
    new NTXentLoss({ ...common, temperature: 0.5 }),
    new SupConLoss({ ...common, temperature: 0.5 }),
    new NCALoss(common),
    new ProxyNCALoss({ ...common, numClasses: 3, embeddingDim: 2, initialProxies: proxyInit }),
    new ProxyAnchorLoss({ ...common, numClasses: 3, embeddingDim: 2, initialProxies: proxyInit, alpha: 4 }),
    new MarginLoss({ ...common, alpha: 0.05, beta: 0.3 }),
    new BregmanSoftmaxLoss({ ...common, temperature: 0.5 }),
    new BregmanSoftmaxLoss({
      ...common,
      target: 'proxies',
      numClasses: 3,
      initialProxies: proxyInit,
      learnPriors: true,
    }),
    new TripletMarginLoss({ divergence, softMargin: true }), // default scale: through the batch mean
  ];
}

describe('gradients with a learned Bregman divergence (ICNN φ) match central finite differences', () => {
  const names = [
    'TripletMarginLoss (soft)',
    'ContrastiveLoss',
    'MultiSimilarityLoss',
    'LiftedStructureLoss',
    'NTXentLoss',
    'SupConLoss',
    'NCALoss',
    'ProxyNCALoss (and its proxies)',
    'ProxyAnchorLoss (and its proxies)',
    'MarginLoss (and β)',
    'BregmanSoftmaxLoss (batch)',
    'BregmanSoftmaxLoss (proxies and priors)',
    'TripletMarginLoss (soft, default batch-mean scale)',
  ];
  names.forEach((name, index) => {
    it(name, () => {
      const all = makeLosses(learned);
      const loss = all[index]!;
      const emb = tf.variable(tf.tensor2d(X));
      const phiVar = learned.trainableVariables[0]!;
      const vars = [emb, phiVar, ...loss.trainableVariables];
      const f = () => loss.compute(emb as tf.Tensor2D, LABELS);
      const { grads } = tf.variableGrads(f, vars);
      const h = 1e-2;
      for (const v of vars) {
        const g = grads[v.name]!.dataSync();
        const base = v.dataSync().slice();
        const coords = Math.min(base.length, 8);
        for (let k = 0; k < coords; k++) {
          const at = (delta: number) => {
            const values = base.slice();
            values[k] = (values[k] as number) + delta;
            v.assign(tf.tensor(values, v.shape));
            return tf.tidy(() => f().dataSync()[0] as number);
          };
          const fd = (at(h) - at(-h)) / (2 * h);
          v.assign(tf.tensor(base, v.shape));
          expect(Math.abs((g[k] as number) - fd)).toBeLessThan(3e-2 * (1 + Math.abs(fd)));
        }
      }
      tf.dispose(grads);
      emb.dispose();
      for (const l of all) l.dispose();
    });
  });
});

function valueAndGrad(loss: MetricLoss, x: number[][], labels: number[], options = {}) {
  return tf.tidy(() => {
    const e = tf.tensor2d(x);
    const { value, grad } = tf.valueAndGrad((t: tf.Tensor) => loss.compute(t as tf.Tensor2D, labels, options))(e);
    return { value: value.dataSync()[0] as number, grad: Array.from(grad.dataSync()) };
  });
}

describe('degenerate batches', () => {
  const pairAndTriplet = (div: SquaredEuclideanDivergence | BregmanDivergence) => [
    new TripletMarginLoss({ divergence: div }),
    new TripletMarginLoss({ divergence: div, softMargin: true }),
    new MultiSimilarityLoss({ divergence: div }),
    new LiftedStructureLoss({ divergence: div }),
    new NTXentLoss({ divergence: div }),
  ];

  it('one class only: pair/triplet losses are 0 with zero gradients; all losses finite', () => {
    for (const div of [sq, learned]) {
      for (const loss of pairAndTriplet(div)) {
        const { value, grad } = valueAndGrad(loss, X, [4, 4, 4, 4, 4, 4]);
        expect(value, loss.type).toBe(0);
        expect(grad.every((g) => g === 0)).toBe(true);
        loss.dispose();
      }
      for (const loss of makeLosses(div, 'batch-mean')) {
        const { value, grad } = valueAndGrad(loss, X, [1, 1, 1, 1, 1, 1]);
        expect(Number.isFinite(value), loss.type).toBe(true);
        expect(grad.every(Number.isFinite), loss.type).toBe(true);
        loss.dispose();
      }
    }
  });

  it('no positives, a single sample, satisfied triplets, empty tuples: 0 and zero gradients, never NaN', () => {
    for (const loss of [
      ...pairAndTriplet(learned),
      new ContrastiveLoss({ divergence: sq, negMargin: 0.1, scale: 'none' }),
    ]) {
      const noPos = valueAndGrad(loss, X, [0, 1, 2, 3, 4, 5]);
      expect(noPos.value, loss.type).toBe(0);
      expect(noPos.grad.every((g) => g === 0)).toBe(true);
      const single = valueAndGrad(loss, [[0.3, 0.2]], [0]);
      expect(single.value).toBe(0);
      expect(single.grad).toEqual([0, 0]);
      const empty = tripletIndices([], [], []);
      const e = valueAndGrad(loss, X, LABELS, { indicesTuple: empty });
      expect(e.value).toBe(0);
      expect(e.grad.every((g) => g === 0)).toBe(true);
      disposeIndices(empty);
      loss.dispose();
    }
    for (const loss of makeLosses(learned, 'batch-mean')) {
      const single = valueAndGrad(loss, [[0.3, 0.2]], [0]);
      expect(Number.isFinite(single.value) && single.grad.every(Number.isFinite), loss.type).toBe(true);
      loss.dispose();
    }
    // Well separated classes: every triplet satisfied with margin 0.2 of the batch mean.
    const far = [
      [0, 0],
      [0.01, 0],
      [5, 5],
      [5.01, 5],
    ];
    const t = new TripletMarginLoss({ divergence: sq });
    const sat = valueAndGrad(t, far, [0, 0, 1, 1]);
    expect(sat.value).toBe(0);
    expect(sat.grad.every((g) => g === 0)).toBe(true);
    expect(t.lastStats?.activeElements).toBe(0);
    expect(t.lastStats?.elements).toBe(8);
    t.dispose();
  });
});

describe('boundary and bookkeeping', () => {
  it('bad labels fail with LossesError naming the call', () => {
    const loss = new TripletMarginLoss({ divergence: sq });
    const x = tf.tensor2d(X);
    const expectError = (f: () => unknown, code: string, text: RegExp) => {
      try {
        f();
        expect.unreachable();
      } catch (error) {
        expect(error).toBeInstanceOf(LossesError);
        expect(isEmpiricalBregmanError(error)).toBe(true);
        expect((error as LossesError).code).toBe(code);
        expect((error as Error).message).toMatch(text);
      }
    };
    expectError(
      () => loss.compute(x, [0, 1, 2]),
      'INVALID_SHAPE',
      /TripletMarginLoss\.compute: expected labels of length 6/,
    );
    expectError(
      () => loss.compute(x, [0, 1, 2, 3, 4, 0.5]),
      'INVALID_ARGUMENT',
      /32-bit integers, got 0\.5 at index 5/,
    );
    const floatLabels = tf.tensor1d([0, 0, 1, 1, 2, 2]);
    expectError(() => loss.compute(x, floatLabels as tf.Tensor1D), 'INVALID_ARGUMENT', /dtype int32/);
    expectError(() => loss.compute(x, LABELS, { refEmbeddings: x }), 'INVALID_ARGUMENT', /together/);
    expectError(() => new BatchHardMiner().mine(x, [1, 2]), 'INVALID_SHAPE', /BatchHardMiner\.mine/);
    tf.dispose([x, floatLabels]);
    loss.dispose();
  });

  it("querySlot 'right' is D(reference, anchor): the left-slot loss over the reversed divergence", () => {
    // D'(x, y) = D(y, x), as a divergence of its own: the 'left' loss over D' must equal the 'right' loss over D.
    const reversed: Divergence = {
      type: 'Reversed',
      symmetric: false,
      dim: learned.dim,
      pairwise: (a, b) => tf.tidy(() => tf.transpose(learned.pairwise(b, a)) as tf.Tensor2D),
      paired: (a, b) => learned.paired(b, a),
      trainableVariables: learned.trainableVariables,
      toJSON: () => learned.toJSON(),
      dispose: () => {},
    };
    const x = tf.tensor2d(X);
    for (const make of [
      (o: MetricLossOptions) => new TripletMarginLoss({ ...o, margin: 0.5 }),
      (o: MetricLossOptions) => new BregmanSoftmaxLoss(o),
    ]) {
      const right = make({ divergence: learned, querySlot: 'right' });
      const viaReversed = make({ divergence: reversed });
      const deprecated = make({ divergence: learned, anchorSlot: 'right' });
      const value = (loss: MetricLoss) => tf.tidy(() => loss.compute(x, LABELS).dataSync()[0]);
      expect(right.querySlot).toBe('right');
      expect(deprecated.querySlot).toBe('right');
      expect(deprecated.anchorSlot).toBe('right');
      expect(value(right)).toBeCloseTo(value(viaReversed), 5);
      expect(value(deprecated)).toBe(value(right));
      expect(value(right)).not.toBeCloseTo(value(make({ divergence: learned })), 3);
      for (const loss of [right, viaReversed, deprecated]) loss.dispose();
    }
    x.dispose();
  });

  it('querySlot and its deprecated alias anchorSlot must agree when both are given', () => {
    expect(new TripletMarginLoss({ querySlot: 'left', anchorSlot: 'left' }).querySlot).toBe('left');
    expect(() => new TripletMarginLoss({ querySlot: 'left', anchorSlot: 'right' })).toThrow(
      /TripletMarginLoss: expected querySlot and its deprecated alias anchorSlot to agree, got "left" and "right"/,
    );
    expect(() => new TripletMarginLoss({ querySlot: 'up' as 'left' })).toThrow(
      /TripletMarginLoss: expected querySlot 'left' or 'right', got "up"/,
    );
    expect(() => new BatchHardMiner({ anchorSlot: 'up' as 'left' })).toThrow(
      /BatchHardMiner: expected anchorSlot 'left' or 'right', got "up"/,
    );
  });

  it('reference sets: anchors against refEmbeddings, no self exclusion', () => {
    // Anchors x = [0], [4] (labels 0, 1); references [1], [3] (labels 0, 1). Margin 2, no scale:
    // anchor 0: D(0,1) − D(0,3) + 2 = 1 − 9 + 2 < 0; anchor 4: D(4,3) − D(4,1) + 2 = 1 − 9 + 2 < 0 → 0. Margin 10: 2 + 2 → 2.
    const loss = new TripletMarginLoss({ divergence: sq, margin: 10, scale: 'none' });
    const v = tf.tidy(
      () =>
        loss
          .compute(tf.tensor2d([[0], [4]]), [0, 1], { refEmbeddings: tf.tensor2d([[1], [3]]), refLabels: [0, 1] })
          .dataSync()[0],
    );
    expect(v).toBeCloseTo(2, 5);
    loss.dispose();
  });

  it('numTensors is unchanged after 100 loss + gradient steps (mined, learned divergence)', () => {
    const emb = tf.variable(tf.tensor2d(X));
    const loss = new ProxyAnchorLoss({ divergence: learned, numClasses: 3, embeddingDim: 2 });
    const triplet = new TripletMarginLoss({ divergence: learned });
    const miner = new BatchHardMiner({ divergence: learned });
    const optimizer = tf.train.adam(0.01);
    const vars = [emb, ...learned.trainableVariables, ...loss.trainableVariables];
    const step = () => {
      const tuple = miner.mine(emb as tf.Tensor2D, LABELS);
      optimizer.minimize(
        () =>
          tf.add(
            loss.compute(emb as tf.Tensor2D, LABELS),
            triplet.compute(emb as tf.Tensor2D, LABELS, { indicesTuple: tuple }),
          ),
        false,
        vars,
      );
      disposeIndices(tuple);
    };
    step(); // creates the optimiser's slots
    const before = tf.memory().numTensors;
    for (let i = 0; i < 100; i++) step();
    expect(tf.memory().numTensors).toBe(before);
    expect(triplet.lastStats?.elements).toBe(6);
    optimizer.dispose();
    loss.dispose();
    triplet.dispose();
    emb.dispose();
  });
});

describe('loss lifetime', () => {
  it('constructing and disposing any loss leaves numTensors unchanged (variables are built without leaking their initial values)', () => {
    const before = tf.memory().numTensors;
    const losses: MetricLoss[] = [
      new TripletMarginLoss({ divergence: sq }),
      new ContrastiveLoss({ divergence: sq }),
      new MarginLoss({ divergence: sq, numClasses: 3 }),
      new ProxyAnchorLoss({ divergence: sq, numClasses: 3, embeddingDim: 2, seed: 1 }),
      new ProxyNCALoss({ divergence: sq, numClasses: 3, embeddingDim: 2, seed: 1 }),
      new BregmanSoftmaxLoss({ divergence: sq, target: 'proxies', numClasses: 3, embeddingDim: 2, learnPriors: true }),
    ];
    for (const loss of losses) loss.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
