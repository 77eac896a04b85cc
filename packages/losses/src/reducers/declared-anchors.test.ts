import * as tf from '@tensorflow/tfjs-core';
import { SquaredEuclideanDivergence } from '@empirical-bregman/bregman-core';
import { afterAll, describe, expect, it } from 'vitest';
import {
  ArcFaceLoss,
  BregmanSoftmaxLoss,
  ClassWeightedReducer,
  CosFaceLoss,
  HistogramLoss,
  type MetricLoss,
  NormalizedSoftmaxLoss,
  PerAnchorReducer,
  ProxyAnchorLoss,
  ProxyNCALoss,
  type Reducer,
  SoftTripleLoss,
} from '../index';
import { expectLossesError } from '../testing/expect-losses-error';

// Each loss term declares its anchors ('rows', a tensor, or none) instead of the base guessing from its shape. The
// per-sample classification and proxy losses are anchored by their samples, so the class-weighting and per-anchor
// reducers apply to them (PML's main use of ClassWeightedReducer: class weighting of a classification loss).
// Expected values are PML's definitions evaluated in float64 below, never the code under test.

const sq = new SquaredEuclideanDivergence();
afterAll(() => sq.dispose());

const X = [
  [0.9, 0.2],
  [-0.3, 0.8],
  [0.1, -0.7],
  [-0.6, -0.5],
  [0.4, 0.5],
];
const LABELS = [0, 1, 2, 1, 0];
const W = [
  [1, 0.1],
  [-0.4, 1],
  [0.2, -1],
];
const CLASS_WEIGHTS = [1, 0.5, 2];

const dot = (a: number[], b: number[]) => a.reduce((s, v, k) => s + v * (b[k] as number), 0);
const cos = (a: number[], b: number[]) => dot(a, b) / Math.sqrt(dot(a, a) * dot(b, b));
const sqDist = (a: number[], b: number[]) => a.reduce((s, v, k) => s + (v - (b[k] as number)) ** 2, 0);
const lse = (v: number[]) => {
  const m = Math.max(...v);
  return m + Math.log(v.reduce((s, t) => s + Math.exp(t - m), 0));
};
/** Per-sample cross-entropies of logit rows. */
const crossEntropies = (logits: number[][]) => logits.map((z, i) => lse(z) - (z[LABELS[i] as number] as number));
/** (1/n) Σ_i w_{y_i} ℓ_i, PML's ClassWeightedReducer over per-sample losses. */
const classWeighted = (l: number[]) =>
  l.reduce((s, v, i) => s + (CLASS_WEIGHTS[LABELS[i] as number] as number) * v, 0) / l.length;
const mean = (l: number[]) => l.reduce((s, v) => s + v, 0) / l.length;

function value(loss: MetricLoss, x = X, labels = LABELS, options = {}): number {
  return tf.tidy(() => loss.compute(tf.tensor2d(x), labels, options).dataSync()[0] as number);
}

describe('per-sample classification and proxy losses have anchors (their samples)', () => {
  // Per-sample losses ℓ_i in float64 from each loss's definition (scale 'none', temperature/scale chosen so the
  // numbers stay moderate).
  const cases: { name: string; make: (reducer: Reducer) => MetricLoss; perSample: number[] }[] = [
    {
      name: 'ArcFaceLoss',
      make: (reducer) =>
        new ArcFaceLoss({ numClasses: 3, embeddingDim: 2, initialProxies: W, logitScale: 2, margin: 0.3, reducer }),
      perSample: crossEntropies(
        X.map((x, i) => W.map((w, c) => 2 * (c === LABELS[i] ? Math.cos(Math.acos(cos(x, w)) + 0.3) : cos(x, w)))),
      ),
    },
    {
      name: 'ProxyNCALoss',
      make: (reducer) => new ProxyNCALoss({ numClasses: 3, initialProxies: W, divergence: sq, scale: 'none', reducer }),
      perSample: crossEntropies(X.map((x) => W.map((w) => -sqDist(x, w)))),
    },
    {
      name: "BregmanSoftmaxLoss (target 'proxies')",
      make: (reducer) =>
        new BregmanSoftmaxLoss({
          target: 'proxies',
          numClasses: 3,
          initialProxies: W,
          divergence: sq,
          scale: 'none',
          temperature: 1,
          reducer,
        }),
      perSample: crossEntropies(X.map((x) => W.map((w) => -sqDist(x, w)))),
    },
  ];

  for (const c of cases) {
    it(`${c.name}: ClassWeightedReducer = (1/n) Σ w_{y_i} ℓ_i; PerAnchorReducer = the mean over samples`, () => {
      const weighted = c.make(new ClassWeightedReducer({ weights: CLASS_WEIGHTS }));
      expect(value(weighted)).toBeCloseTo(classWeighted(c.perSample), 4);
      const perAnchor = c.make(new PerAnchorReducer());
      expect(value(perAnchor)).toBeCloseTo(mean(c.perSample), 4);
      weighted.dispose();
      perAnchor.dispose();
    });
  }

  it('every ClassWeightsLoss (CosFace, NormalizedSoftmax, SoftTriple) takes both reducers: w = 2 everywhere doubles the mean', () => {
    const makers: ((reducer?: Reducer) => MetricLoss)[] = [
      (reducer) =>
        new CosFaceLoss({ numClasses: 3, embeddingDim: 2, initialProxies: W, ...(reducer ? { reducer } : {}) }),
      (reducer) =>
        new NormalizedSoftmaxLoss({
          numClasses: 3,
          initialProxies: W,
          divergence: sq,
          ...(reducer ? { reducer } : {}),
        }),
      (reducer) =>
        new SoftTripleLoss({ numClasses: 3, embeddingDim: 2, centersPerClass: 1, ...(reducer ? { reducer } : {}) }),
    ];
    for (const make of makers) {
      const plain = make();
      const doubled = make(new ClassWeightedReducer({ weights: [2, 2, 2] }));
      const perAnchor = make(new PerAnchorReducer());
      const base = value(plain);
      expect(base).toBeGreaterThan(0);
      expect(value(doubled)).toBeCloseTo(2 * base, 4);
      expect(value(perAnchor)).toBeCloseTo(base, 4);
      for (const l of [plain, doubled, perAnchor]) l.dispose();
    }
  });

  it('tensors: a class-weighted ArcFace step leaves no tensor behind', () => {
    const loss = cases[0]!.make(new ClassWeightedReducer({ weights: CLASS_WEIGHTS }));
    value(loss);
    const before = tf.memory().numTensors;
    value(loss);
    expect(tf.memory().numTensors).toBe(before);
    loss.dispose();
  });
});

describe('terms without anchors are refused by the anchor reducers, whatever their length', () => {
  it("ProxyAnchorLoss's per-proxy terms (C = n here, so a shape guess would call them anchored)", () => {
    // 3 proxies and 3 samples: the per-proxy terms have length n.
    const loss = new ProxyAnchorLoss({
      numClasses: 3,
      initialProxies: W,
      divergence: sq,
      reducer: new ClassWeightedReducer({ weights: CLASS_WEIGHTS }),
    });
    expectLossesError(
      () => value(loss, X.slice(0, 3), LABELS.slice(0, 3)),
      'INVALID_ARGUMENT',
      /^ClassWeightedReducer\.reduce: expected elements with anchors .*, got a term without anchors$/,
    );
    loss.dispose();
  });

  it('HistogramLoss with one anchor against a reference set: its whole-batch [1] term is not anchor 0', () => {
    const ref = { refEmbeddings: tf.tensor2d(X), refLabels: LABELS };
    for (const reducer of [new ClassWeightedReducer({ weights: CLASS_WEIGHTS }), new PerAnchorReducer()]) {
      const loss = new HistogramLoss({ divergence: sq, numBins: 10, reducer });
      expectLossesError(
        () => value(loss, [[0.8, 0.3]], [0], ref),
        'INVALID_ARGUMENT',
        /^(ClassWeighted|PerAnchor)Reducer\.reduce: expected elements with anchors .*, got a term without anchors$/,
      );
    }
    ref.refEmbeddings.dispose();
  });
});
