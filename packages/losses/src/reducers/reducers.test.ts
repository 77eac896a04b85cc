import * as tf from '@tensorflow/tfjs-core';
import { SquaredEuclideanDivergence } from '@empirical-bregman/bregman-core';
import { afterAll, describe, expect, it } from 'vitest';
import {
  AvgNonZeroReducer,
  ClassWeightedReducer,
  ContrastiveLoss,
  DivisorReducer,
  DoNothingReducer,
  disposeIndices,
  LossesError,
  MeanReducer,
  type MetricLoss,
  MultipleReducers,
  PerAnchorReducer,
  ProxyAnchorLoss,
  type Reducer,
  SumReducer,
  TripletMarginLoss,
  tripletIndices,
} from '../index';
import { expectGradientMatches, type Matrix, matrix, mean, sqDist } from '../testing/float64';

// Expected values: per-element losses written out in float64 loops (contrastive: D_ap and [m − D_an]₊, triplet:
// [D_ap − D_an + α]₊), then reduced by each reducer's definition (PML's), never by the code under test.

const sq = new SquaredEuclideanDivergence();
afterAll(() => sq.dispose());

const X: Matrix = [[0], [1], [3], [5], [6], [10]];
const LABELS = [0, 0, 1, 1, 2, 0];
const D = matrix(X, sqDist);
const NEG_MARGIN = 20;

interface Element {
  anchor: number;
  loss: number;
}
/** Contrastive elements (posMargin 0, negMargin 20, no scale): positives D_ap, negatives [20 − D_an]₊. */
function contrastive(x: Matrix = X, labels = LABELS): { pos: Element[]; neg: Element[] } {
  const d = matrix(x, sqDist);
  const pos: Element[] = [];
  const neg: Element[] = [];
  labels.forEach((a, i) => {
    labels.forEach((b, j) => {
      if (i !== j && a === b) pos.push({ anchor: i, loss: (d[i] as number[])[j] as number });
      if (a !== b) neg.push({ anchor: i, loss: Math.max(0, NEG_MARGIN - ((d[i] as number[])[j] as number)) });
    });
  });
  return { pos, neg };
}
const contrastiveLoss = (reducer: Reducer) =>
  new ContrastiveLoss({ divergence: sq, scale: 'none', posMargin: 0, negMargin: NEG_MARGIN, reducer });
const value = (loss: MetricLoss, options = {}) =>
  tf.tidy(() => loss.compute(tf.tensor2d(X), LABELS, options).dataSync()[0] as number);
/** Triplet hinge [D_ap − D_an + 10]₊ of the given triplets. */
const tripletLoss = (a: number, p: number, n: number) =>
  Math.max(0, (D[a] as number[])[p]! - (D[a] as number[])[n]! + 10);

describe('ClassWeightedReducer', () => {
  const weights = [1, 0.5, 2];
  const weighted = (els: Element[]) => mean(els.map((e) => (weights[LABELS[e.anchor] as number] as number) * e.loss));

  it('mean of w_{y(anchor)} · ℓ over each term (PML), pair terms', () => {
    const { pos, neg } = contrastive();
    expect(value(contrastiveLoss(new ClassWeightedReducer({ weights })))).toBeCloseTo(weighted(pos) + weighted(neg), 4);
  });

  it('gathered triplets are weighted by their own anchors (a list as long as the batch is not per-anchor)', () => {
    // 6 triplets for a batch of 6: the anchors must come from the tuple, not from positions 0..5.
    const a = [2, 2, 3, 0, 0, 5];
    const p = [3, 3, 2, 1, 5, 0];
    const n = [4, 1, 0, 2, 3, 4];
    const t = tripletIndices(a, p, n);
    const loss = new TripletMarginLoss({
      divergence: sq,
      scale: 'none',
      margin: 10,
      reducer: new ClassWeightedReducer({ weights }),
    });
    const expected = mean(a.map((ai, k) => (weights[LABELS[ai] as number] as number) * tripletLoss(ai, p[k]!, n[k]!)));
    expect(value(loss, { indicesTuple: t })).toBeCloseTo(expected, 4);
    disposeIndices(t);
  });

  it('labels outside the weights weigh 0; bad weights are refused', () => {
    const { pos, neg } = contrastive();
    const short = new ClassWeightedReducer({ weights: [1, 0.5] }); // class 2 → 0
    const w2 = (els: Element[]) => mean(els.map((e) => ([1, 0.5][LABELS[e.anchor] as number] ?? 0) * e.loss));
    expect(value(contrastiveLoss(short))).toBeCloseTo(w2(pos) + w2(neg), 4);
    expect(() => new ClassWeightedReducer({ weights: [1, -1] })).toThrow(
      /ClassWeightedReducer: expected weights as a non-empty array of finite numbers ≥ 0, got/,
    );
  });
});

describe('PerAnchorReducer', () => {
  const perAnchor = (els: Element[]) => {
    const byAnchor = new Map<number, number[]>();
    for (const e of els) byAnchor.set(e.anchor, [...(byAnchor.get(e.anchor) ?? []), e.loss]);
    return mean([...byAnchor.values()].map(mean));
  };

  it('mean per anchor, then MeanReducer over the anchors that have elements (pairs)', () => {
    const { pos, neg } = contrastive();
    // Anchor 4 (class 2, alone) has no positive: it is left out of the positive term's second stage.
    expect(value(contrastiveLoss(new PerAnchorReducer()))).toBeCloseTo(perAnchor(pos) + perAnchor(neg), 4);
  });

  it('triplets, batch-all ([n, m, m]) and gathered (explicit anchors)', () => {
    const all: Element[] = [];
    LABELS.forEach((la, a) => {
      LABELS.forEach((lp, p) => {
        LABELS.forEach((ln, n) => {
          if (a !== p && la === lp && la !== ln) all.push({ anchor: a, loss: tripletLoss(a, p, n) });
        });
      });
    });
    const make = (reducer: Reducer) => new TripletMarginLoss({ divergence: sq, scale: 'none', margin: 10, reducer });
    expect(value(make(new PerAnchorReducer()))).toBeCloseTo(perAnchor(all), 4);
    const a = [2, 2, 3, 0, 0, 5];
    const p = [3, 3, 2, 1, 5, 0];
    const n = [4, 1, 0, 2, 3, 4];
    const t = tripletIndices(a, p, n);
    const els = a.map((ai, k) => ({ anchor: ai, loss: tripletLoss(ai, p[k]!, n[k]!) }));
    expect(value(make(new PerAnchorReducer()), { indicesTuple: t })).toBeCloseTo(perAnchor(els), 4);
    // A second stage of choice: AvgNonZero over the per-anchor means.
    const byAnchor = [0, 2, 3, 5].map((ai) => mean(els.filter((e) => e.anchor === ai).map((e) => e.loss)));
    const avgNonZero = mean(byAnchor.filter((v) => v > 0));
    expect(value(make(new PerAnchorReducer({ reducer: new AvgNonZeroReducer() })), { indicesTuple: t })).toBeCloseTo(
      avgNonZero,
      4,
    );
    disposeIndices(t);
  });

  it('gradient = finite differences', () => {
    const loss = contrastiveLoss(new PerAnchorReducer());
    const x = [[0.1], [0.5], [1.2], [2.0], [2.5], [3.1]];
    expectGradientMatches(
      (t) => loss.compute(t, LABELS),
      (xx) => {
        const { pos, neg } = contrastive(xx);
        return perAnchor(pos) + perAnchor(neg);
      },
      x,
    );
  });
});

describe('DoNothingReducer', () => {
  it('keeps every term unreduced (masked-out elements 0) and returns their sum', () => {
    const reducer = new DoNothingReducer();
    const loss = contrastiveLoss(reducer);
    const { pos, neg } = contrastive();
    const v = value(loss);
    expect(v).toBeCloseTo(pos.reduce((s, e) => s + e.loss, 0) + neg.reduce((s, e) => s + e.loss, 0), 3);
    expect(reducer.lastTerms.length).toBe(2);
    const [p, n] = reducer.lastTerms.map((t) => t.losses.arraySync() as number[][]);
    expect(p![0]![1]).toBeCloseTo(1, 5); // D(0, 1)
    expect(p![0]![2]).toBe(0); // a negative pair: not in the positive term
    expect(n![0]![2]).toBeCloseTo(NEG_MARGIN - 9, 5);
    expect(tf.tidy(() => tf.sum(reducer.lastTerms[0]!.mask).arraySync())).toBe(pos.length);
    const before = tf.memory().numTensors;
    value(loss); // the next compute replaces the kept terms
    expect(tf.memory().numTensors).toBe(before);
    reducer.dispose();
    expect(tf.memory().numTensors).toBe(before - 4);
  });

  it('a custom reduction of the kept terms is differentiable (weights 1/(1 + anchor))', () => {
    const reducer = new DoNothingReducer();
    const loss = contrastiveLoss(reducer);
    const x = [[0.1], [0.5], [1.2], [2.0], [2.5], [3.1]];
    const w = tf.tensor2d([0, 1, 2, 3, 4, 5].map((i) => [1 / (1 + i)]));
    expectGradientMatches(
      (t) => {
        loss.compute(t, LABELS).dispose();
        return reducer.lastTerms.reduce(
          (acc: tf.Scalar, term) => tf.add(acc, tf.sum(tf.mul(term.losses, w))),
          tf.scalar(0),
        );
      },
      (xx) => {
        const { pos, neg } = contrastive(xx);
        return [...pos, ...neg].reduce((s, e) => s + e.loss / (1 + e.anchor), 0);
      },
      x,
    );
    w.dispose();
    reducer.dispose();
  });
});

describe('DivisorReducer', () => {
  it('Σ ℓ / divisor; a zero divisor gives 0; no divisor at all is an error', () => {
    const { pos, neg } = contrastive();
    const sum = (els: Element[]) => els.reduce((s, e) => s + e.loss, 0);
    expect(value(contrastiveLoss(new DivisorReducer({ divisor: 4 })))).toBeCloseTo((sum(pos) + sum(neg)) / 4, 3);
    expect(value(contrastiveLoss(new DivisorReducer({ divisor: 0 })))).toBe(0);
    expect(() => value(contrastiveLoss(new DivisorReducer()))).toThrow(LossesError);
    expect(() => value(contrastiveLoss(new DivisorReducer()))).toThrow(
      /DivisorReducer\.reduce: expected a divisor from the loss or the divisor option, got neither/,
    );
  });
});

describe("DivisorReducer with the loss's own divisors (ProxyAnchorLoss, PML's)", () => {
  it('positive term / proxies with positives, negative term / C; the option is only a fallback', () => {
    // C = 4 proxies, labels 0..2 only: proxy 3 has no positive sample, so the positive divisor is 3, not 4.
    const x = [[0], [0.2], [0.6], [1.0], [1.2], [2.0]];
    const proxies = [[0.1], [0.8], [1.1], [1.5]];
    const alpha = 4;
    const delta = 0.1;
    let posSum = 0;
    let withPos = 0;
    let negSum = 0;
    proxies.forEach((pc, c) => {
      let p = 0;
      let n = 0;
      x.forEach((xi, i) => {
        const s = 1 - ((xi[0] as number) - (pc[0] as number)) ** 2;
        if (LABELS[i] === c) p += Math.exp(-alpha * (s - delta));
        else n += Math.exp(alpha * (s + delta));
      });
      if (LABELS.includes(c)) {
        posSum += Math.log1p(p);
        withPos++;
      }
      negSum += Math.log1p(n);
    });
    expect(withPos).toBe(3);
    const expected = posSum / 3 + negSum / 4;
    const make = (reducer?: Reducer) =>
      new ProxyAnchorLoss({
        divergence: sq,
        scale: 'none',
        numClasses: 4,
        initialProxies: proxies,
        alpha,
        delta,
        ...(reducer === undefined ? {} : { reducer }),
      });
    const value4 = (loss: MetricLoss) => tf.tidy(() => loss.compute(tf.tensor2d(x), LABELS).dataSync()[0] as number);
    for (const loss of [make(new DivisorReducer()), make(new DivisorReducer({ divisor: 100 })), make()]) {
      expect(value4(loss)).toBeCloseTo(expected, 4);
      loss.dispose();
    }
  });
});

describe('MultipleReducers', () => {
  it('one reducer per term index, the default for the others', () => {
    const { pos, neg } = contrastive();
    const sum = (els: Element[]) => els.reduce((s, e) => s + e.loss, 0);
    const both = new MultipleReducers({ reducers: [new SumReducer(), new MeanReducer()] });
    expect(value(contrastiveLoss(both))).toBeCloseTo(sum(pos) + mean(neg.map((e) => e.loss)), 3);
    const second = new MultipleReducers({ reducers: [undefined, new SumReducer()] }); // term 0: MeanReducer
    expect(value(contrastiveLoss(second))).toBeCloseTo(mean(pos.map((e) => e.loss)) + sum(neg), 3);
    expect(() => new MultipleReducers({ reducers: [{} as Reducer] })).toThrow(
      /MultipleReducers: expected reducers as an array of Reducers/,
    );
  });
});
