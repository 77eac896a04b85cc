import * as tf from '@tensorflow/tfjs-core';
import { SquaredEuclideanDivergence } from '@empirical-bregman/bregman-core';
import { afterAll, describe, expect, it } from 'vitest';
import {
  BregmanSoftmaxLoss,
  ContrastiveLoss,
  DivergenceRegressionLoss,
  disposeIndices,
  InfoNCELoss,
  LiftedStructureLoss,
  MarginLoss,
  MeanReducer,
  type MetricLoss,
  MultiSimilarityLoss,
  NCALoss,
  NTXentLoss,
  pairIndices,
  ProxyAnchorLoss,
  ProxyNCALoss,
  SumReducer,
  SupConLoss,
  ThresholdReducer,
  TripletMarginLoss,
  tripletIndices,
} from '../index';

// Expected values come from the papers' formulas, evaluated below in float64 JS with explicit loops (never from
// the code under test), or written out by hand in the comments.

const sq = new SquaredEuclideanDivergence();
afterAll(() => sq.dispose());

/** 1-D fixture x = [0, 1, 3, 5], labels [0, 0, 1, 1]: D = (x_i − x_j)². */
const X1 = [[0], [1], [3], [5]];
const L1 = [0, 0, 1, 1];

/** 2-D fixture with three classes. */
const X2 = [
  [0, 0],
  [1, 0],
  [0, 2],
  [2, 2],
  [3, 1],
  [1, 3],
];
const L2 = [0, 0, 1, 1, 2, 2];

function dist(a: number[], b: number[]): number {
  return a.reduce((s, v, k) => s + (v - (b[k] as number)) ** 2, 0);
}
function dMatrix(x: number[][], r: number[][] = x): number[][] {
  return x.map((a) => r.map((b) => dist(a, b)));
}
function value(loss: MetricLoss, x: number[][], labels: number[]): number {
  return tf.tidy(() => loss.compute(tf.tensor2d(x), labels).dataSync()[0] as number);
}
const lse = (v: number[]) => {
  const m = Math.max(...v);
  return m + Math.log(v.reduce((s, t) => s + Math.exp(t - m), 0));
};
const softplus = (v: number) => Math.log1p(Math.exp(v));
const batchMean = (d: number[][]) => {
  let s = 0;
  let c = 0;
  d.forEach((row, i) => {
    row.forEach((v, j) => {
      if (i !== j) {
        s += v;
        c++;
      }
    });
  });
  return s / c;
};

describe('TripletMarginLoss', () => {
  // D rows: [0,1,9,25] [1,0,4,16] [9,4,0,4] [25,16,4,0]. Margin 5, the 8 triplets:
  // a0: 1−9+5<0, 1−25+5<0; a1: 1−4+5 = 2, 1−16+5<0; a2: 4−9+5 = 0, 4−4+5 = 5; a3: 4−25+5<0, 4−16+5<0.
  it('hinge, batch all, with each reducer', () => {
    expect(value(new TripletMarginLoss({ divergence: sq, margin: 5, scale: 'none' }), X1, L1)).toBeCloseTo(3.5, 5);
    const mean = new TripletMarginLoss({ divergence: sq, margin: 5, scale: 'none', reducer: new MeanReducer() });
    expect(value(mean, X1, L1)).toBeCloseTo(7 / 8, 5);
    const sum = new TripletMarginLoss({ divergence: sq, margin: 5, scale: 'none', reducer: new SumReducer() });
    expect(value(sum, X1, L1)).toBeCloseTo(7, 5);
    const thr = new TripletMarginLoss({
      divergence: sq,
      margin: 5,
      scale: 'none',
      reducer: new ThresholdReducer({ low: 3 }),
    });
    expect(value(thr, X1, L1)).toBeCloseTo(5, 5);
  });

  it('batch-mean scale divides D by its mean over the 12 ordered pairs (118/12)', () => {
    const s = 118 / 12;
    const d = dMatrix(X1);
    const losses: number[] = [];
    for (let a = 0; a < 4; a++)
      for (let p = 0; p < 4; p++)
        for (let n = 0; n < 4; n++)
          if (a !== p && L1[a] === L1[p] && L1[a] !== L1[n])
            losses.push(Math.max(0, (d[a]![p]! - d[a]![n]!) / s + 0.5));
    const active = losses.filter((v) => v > 0);
    const expected = active.reduce((x, y) => x + y, 0) / active.length;
    expect(value(new TripletMarginLoss({ divergence: sq, margin: 0.5 }), X1, L1)).toBeCloseTo(expected, 5);
  });

  it('soft margin is the mean of ln(1 + e^{D(a,p) − D(a,n)}) over active (all) triplets', () => {
    const d = dMatrix(X2);
    const losses: number[] = [];
    for (let a = 0; a < 6; a++)
      for (let p = 0; p < 6; p++)
        for (let n = 0; n < 6; n++)
          if (a !== p && L2[a] === L2[p] && L2[a] !== L2[n]) losses.push(softplus(d[a]![p]! - d[a]![n]!));
    const expected = losses.reduce((x, y) => x + y, 0) / losses.length;
    const loss = new TripletMarginLoss({ divergence: sq, softMargin: true, scale: 'none' });
    expect(value(loss, X2, L2)).toBeCloseTo(expected, 4);
  });

  it('a triplet tuple is gathered, a pair tuple becomes the triplets sharing an anchor', () => {
    const loss = new TripletMarginLoss({ divergence: sq, margin: 5, scale: 'none', reducer: new SumReducer() });
    // Triplets (1,0,2) → 2 and (2,3,1) → 5 and (0,1,3) → 0.
    const t = tripletIndices([1, 2, 0], [0, 3, 1], [2, 1, 3]);
    const v = tf.tidy(() => loss.compute(tf.tensor2d(X1), L1, { indicesTuple: t }).dataSync()[0]);
    expect(v).toBeCloseTo(7, 5);
    // Pairs: positives (2,3), (1,0); negatives (2,1), (2,0) → triplets (2,3,1) = 5, (2,3,0) = 0; anchor 1 has none.
    const p = pairIndices([2, 1], [3, 0], [2, 2], [1, 0]);
    const w = tf.tidy(() => loss.compute(tf.tensor2d(X1), L1, { indicesTuple: p }).dataSync()[0]);
    expect(w).toBeCloseTo(5, 5);
    disposeIndices(t);
    disposeIndices(p);
  });
});

describe('pair losses', () => {
  it('ContrastiveLoss: positives [D − 0.5]₊ = 0.5, 0.5, 3.5, 3.5; negatives [10 − D]₊ nonzero 1, 1, 6, 6', () => {
    const loss = new ContrastiveLoss({ divergence: sq, posMargin: 0.5, negMargin: 10, scale: 'none' });
    expect(value(loss, X1, L1)).toBeCloseTo(2 + 3.5, 5);
  });

  it('MarginLoss: [α + y(D − β)]₊ averaged over non-zero pairs', () => {
    // α = 0.5, β = 3. Positives D = 1, 1, 4, 4 → 0, 0, 1.5, 1.5. Negatives D = 9, 25, 4, 16 (twice) → [0.5 − (D−3)]₊ = 0.
    const loss = new MarginLoss({ divergence: sq, alpha: 0.5, beta: 3, scale: 'none' });
    expect(value(loss, X1, L1)).toBeCloseTo(1.5, 5);
    loss.dispose();
  });

  it('MultiSimilarityLoss matches the paper formula with S = 1 − D̃', () => {
    const alpha = 2;
    const beta = 10;
    const lambda = 0.5;
    const d = dMatrix(X2);
    const s = batchMean(d);
    let total = 0;
    for (let i = 0; i < 6; i++) {
      const pos: number[] = [];
      const neg: number[] = [];
      for (let k = 0; k < 6; k++) {
        const S = 1 - d[i]![k]! / s;
        if (k !== i && L2[k] === L2[i]) pos.push(Math.exp(-alpha * (S - lambda)));
        if (L2[k] !== L2[i]) neg.push(Math.exp(beta * (S - lambda)));
      }
      total +=
        Math.log(1 + pos.reduce((a, b) => a + b, 0)) / alpha + Math.log(1 + neg.reduce((a, b) => a + b, 0)) / beta;
    }
    const loss = new MultiSimilarityLoss({ divergence: sq, alpha, beta, lambda });
    expect(value(loss, X2, L2)).toBeCloseTo(total / 6, 4);
  });

  it('LiftedStructureLoss: [log Σ_p e^{D} + log Σ_n e^{m − D}]₊ per anchor', () => {
    const margin = 1;
    const d = dMatrix(X2).map((r) => r.map((v) => v / 4)); // scale 4
    let total = 0;
    for (let i = 0; i < 6; i++) {
      const pos: number[] = [];
      const neg: number[] = [];
      for (let k = 0; k < 6; k++) {
        if (k !== i && L2[k] === L2[i]) pos.push(d[i]![k]!);
        if (L2[k] !== L2[i]) neg.push(margin - d[i]![k]!);
      }
      total += Math.max(0, lse(pos) + lse(neg));
    }
    const loss = new LiftedStructureLoss({ divergence: sq, margin, scale: 4 });
    expect(value(loss, X2, L2)).toBeCloseTo(total / 6, 4);
  });
});

describe('softmax losses', () => {
  const tau = 2;
  const d = dMatrix(X2);

  it('NTXentLoss / InfoNCELoss: −log e^{z_ap} / (e^{z_ap} + Σ_n e^{z_an}), z = −D/τ, mean over positive pairs', () => {
    const losses: number[] = [];
    for (let a = 0; a < 6; a++)
      for (let p = 0; p < 6; p++) {
        if (p === a || L2[p] !== L2[a]) continue;
        const zs = [-d[a]![p]! / tau];
        for (let n = 0; n < 6; n++) if (L2[n] !== L2[a]) zs.push(-d[a]![n]! / tau);
        losses.push(lse(zs) + d[a]![p]! / tau);
      }
    const expected = losses.reduce((x, y) => x + y, 0) / losses.length;
    expect(value(new NTXentLoss({ divergence: sq, temperature: tau, scale: 'none' }), X2, L2)).toBeCloseTo(expected, 4);
    expect(value(new InfoNCELoss({ divergence: sq, temperature: tau, scale: 'none' }), X2, L2)).toBeCloseTo(
      expected,
      4,
    );
  });

  it('SupConLoss: −(1/|P|) Σ_p log e^{z_ip} / Σ_{a≠i} e^{z_ia}', () => {
    let total = 0;
    for (let i = 0; i < 6; i++) {
      const all: number[] = [];
      const pos: number[] = [];
      for (let k = 0; k < 6; k++) {
        if (k === i) continue;
        all.push(-d[i]![k]! / tau);
        if (L2[k] === L2[i]) pos.push(-d[i]![k]! / tau);
      }
      total += pos.reduce((acc, z) => acc + (lse(all) - z), 0) / pos.length;
    }
    expect(value(new SupConLoss({ divergence: sq, temperature: tau, scale: 'none' }), X2, L2)).toBeCloseTo(
      total / 6,
      4,
    );
  });

  it('NCALoss: −log Σ_{j∈P(i)} softmax_j(−σD_ij)', () => {
    const sigma = 0.5;
    let total = 0;
    for (let i = 0; i < 6; i++) {
      const all: number[] = [];
      const pos: number[] = [];
      for (let k = 0; k < 6; k++) {
        if (k === i) continue;
        all.push(-sigma * d[i]![k]!);
        if (L2[k] === L2[i]) pos.push(-sigma * d[i]![k]!);
      }
      total += lse(all) - lse(pos);
    }
    expect(value(new NCALoss({ divergence: sq, softmaxScale: sigma, scale: 'none' }), X2, L2)).toBeCloseTo(
      total / 6,
      4,
    );
  });

  const proxies = [
    [0.5, 0],
    [1, 2],
    [2, 2],
  ];
  const dp = dMatrix(X2, proxies);

  it('ProxyNCALoss: softmax over −σD(x, p_c) with the proxy in the right slot', () => {
    let total = 0;
    for (let i = 0; i < 6; i++) total += lse(dp[i]!.map((v) => -v)) + dp[i]![L2[i]!]!;
    const loss = new ProxyNCALoss({
      divergence: sq,
      numClasses: 3,
      embeddingDim: 2,
      initialProxies: proxies,
      scale: 'none',
    });
    expect(value(loss, X2, L2)).toBeCloseTo(total / 6, 4);
    loss.dispose();
  });

  it('ProxyAnchorLoss: the two proxy averages of Kim et al. with s = 1 − D', () => {
    const alpha = 4;
    const delta = 0.1;
    let posSum = 0;
    let negSum = 0;
    for (let c = 0; c < 3; c++) {
      let p = 0;
      let n = 0;
      for (let i = 0; i < 6; i++) {
        const s = 1 - dp[i]![c]!;
        if (L2[i] === c) p += Math.exp(-alpha * (s - delta));
        else n += Math.exp(alpha * (s + delta));
      }
      posSum += Math.log(1 + p);
      negSum += Math.log(1 + n);
    }
    const loss = new ProxyAnchorLoss({
      divergence: sq,
      numClasses: 3,
      embeddingDim: 2,
      initialProxies: proxies,
      alpha,
      delta,
      scale: 'none',
    });
    expect(value(loss, X2, L2)).toBeCloseTo(posSum / 3 + negSum / 3, 3);
    loss.dispose();
  });

  it('BregmanSoftmaxLoss (proxies): cross-entropy of softmax(−D(x, μ_c)/τ)', () => {
    let total = 0;
    for (let i = 0; i < 6; i++) total += lse(dp[i]!.map((v) => -v / tau)) + dp[i]![L2[i]!]! / tau;
    const loss = new BregmanSoftmaxLoss({
      divergence: sq,
      target: 'proxies',
      numClasses: 3,
      embeddingDim: 2,
      initialProxies: proxies,
      temperature: tau,
      scale: 'none',
    });
    expect(value(loss, X2, L2)).toBeCloseTo(total / 6, 4);
    loss.dispose();
  });

  it('BregmanSoftmaxLoss (batch): class means, the anchor left out of its own class', () => {
    // Labels [0,0,0,1,1,2]: class 0 has three members, so leave-one-out means differ from full means.
    const labels = [0, 0, 0, 1, 1, 2];
    const mean = (rows: number[][]) => rows[0]!.map((_, k) => rows.reduce((s, r) => s + r[k]!, 0) / rows.length);
    const centroids = [0, 1, 2].map((c) => mean(X2.filter((_, i) => labels[i] === c)));
    let total = 0;
    let count = 0;
    for (let i = 0; i < 6; i++) {
      const own = X2.filter((_, k) => k !== i && labels[k] === labels[i]);
      if (own.length === 0) continue; // class 2 has a single member: the anchor does not count
      const zs = [-dist(X2[i]!, mean(own)) / tau];
      for (let c = 0; c < 3; c++) if (c !== labels[i]) zs.push(-dist(X2[i]!, centroids[c]!) / tau);
      total += lse(zs) - (zs[0] as number);
      count++;
    }
    const loss = new BregmanSoftmaxLoss({ divergence: sq, temperature: tau, scale: 'none' });
    expect(value(loss, X2, labels)).toBeCloseTo(total / count, 4);
  });
});

describe('DivergenceRegressionLoss', () => {
  it('mean of (D(x_i, y_i) − t_i)² and |·|', () => {
    // D = ‖x − y‖²: rows give 1 and 8; targets 2 and 5 → residuals −1, 3.
    const x = tf.tensor2d([
      [0, 0],
      [1, 1],
    ]);
    const y = tf.tensor2d([
      [1, 0],
      [3, 3],
    ]);
    const sqLoss = new DivergenceRegressionLoss({ divergence: sq });
    const absLoss = new DivergenceRegressionLoss({ divergence: sq, penalty: 'absolute' });
    expect(tf.tidy(() => sqLoss.compute(x, y, [2, 5]).dataSync()[0])).toBeCloseTo(5, 5);
    expect(tf.tidy(() => absLoss.compute(x, y, [2, 5]).dataSync()[0])).toBeCloseTo(2, 5);
    expect(sqLoss.lastStats).toEqual({ loss: 5, pairs: 2, meanDivergence: 4.5, meanTarget: 3.5 });
    tf.dispose([x, y]);
    sqLoss.dispose();
    absLoss.dispose();
  });
});
