import * as tf from '@tensorflow/tfjs-core';
import { BregmanDivergence, CosineDivergence, SquaredEuclideanDivergence } from '@empirical-bregman/bregman-core';
import { IcnnConvexFunction } from '@empirical-bregman/convex-net';
import { expectLossesError } from '../testing/expect-losses-error';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CircleLoss,
  disposeIndices,
  FastAPLoss,
  HistogramLoss,
  CrossBatchMemory,
  InstanceLoss,
  IntraPairVarianceLoss,
  type MetricLoss,
  NPairsLoss,
  pairIndices,
  TupletMarginLoss,
  tripletIndices,
} from '../index';
import {
  cosSim,
  expectGradientMatches,
  lse,
  type Matrix,
  matrix,
  mean,
  meanNonZero,
  normalizeRows,
  offDiagonalMean,
  softplus,
  sqDist,
  valueAndGradient,
} from '../testing/float64';

// Expected values: each loss's definition (PML's where it has the loss, with its defaults) evaluated in float64
// with plain loops below, never with the code under test. Gradients: tf.grad against central finite differences
// of the same float64 references.

const sq = new SquaredEuclideanDivergence();
const cos = new CosineDivergence();
let learned: BregmanDivergence;
beforeAll(() => {
  learned = new BregmanDivergence(new IcnnConvexFunction({ dim: 2, hiddenSizes: [6], seed: 7 }));
});
afterAll(() => learned.dispose());

const X: Matrix = [
  [0.1, 0.2],
  [0.4, -0.3],
  [-0.5, 0.6],
  [0.9, 0.1],
  [-0.2, -0.8],
  [0.3, 0.7],
];
const LABELS = [0, 0, 1, 1, 2, 2];
const isPos = (l: number[], i: number, j: number) => i !== j && l[i] === l[j];
const isNeg = (l: number[], i: number, j: number) => l[i] !== l[j];

function value(loss: MetricLoss, x: Matrix, labels: number[], options = {}): number {
  return tf.tidy(() => loss.compute(tf.tensor2d(x), labels, options).dataSync()[0] as number);
}

// ---- float64 references ----

/** PML's CircleLoss over similarities s (α from `alphaS`: frozen in gradient checks, as the paper detaches them). */
function circleRef(s: Matrix, labels: number[], m: number, gamma: number, alphaS: Matrix = s): number {
  const losses: number[] = [];
  s.forEach((row, i) => {
    const lp: number[] = [];
    const ln: number[] = [];
    row.forEach((v, j) => {
      const a = (alphaS[i] as number[])[j] as number;
      if (isPos(labels, i, j)) lp.push(-gamma * Math.max(0, 1 + m - a) * (v - (1 - m)));
      if (isNeg(labels, i, j)) ln.push(gamma * Math.max(0, a + m) * (v - m));
    });
    if (lp.length > 0 && ln.length > 0) losses.push(softplus(lse(lp) + lse(ln)));
  });
  return meanNonZero(losses);
}

/** PML's FastAP on a distance matrix (histogram over [0, max], distances clamped to it). */
function fastApRef(d: Matrix, labels: number[], bins: number, max: number): number {
  const delta = max / bins;
  const losses: number[] = [];
  d.forEach((row, i) => {
    const hp = new Array(bins + 1).fill(0);
    const hn = new Array(bins + 1).fill(0);
    let nPos = 0;
    row.forEach((raw, j) => {
      const v = Math.min(Math.max(raw, 0), max);
      for (let r = 0; r <= bins; r++) {
        const pulse = Math.max(0, 1 - Math.abs(v - r * delta) / delta);
        if (isPos(labels, i, j)) hp[r] += pulse;
        if (isNeg(labels, i, j)) hn[r] += pulse;
      }
      if (isPos(labels, i, j)) nPos++;
    });
    if (nPos === 0) return;
    let cumP = 0;
    let cumAll = 0;
    let ap = 0;
    for (let r = 0; r <= bins; r++) {
      cumP += hp[r];
      cumAll += hp[r] + hn[r];
      if (hp[r] * cumP > 0 && cumAll > 0) ap += (hp[r] * cumP) / cumAll;
    }
    losses.push(1 - ap / nPos);
  });
  return mean(losses);
}

/** N-pairs: per class, its first anchor with a positive and that anchor's first positive; logits −D. */
function nPairsRef(d: Matrix, labels: number[]): number {
  const anchors: number[] = [];
  const positives: number[] = [];
  const seen = new Set<number>();
  labels.forEach((c, i) => {
    const p = labels.findIndex((_, j) => isPos(labels, i, j));
    if (p >= 0 && !seen.has(c)) {
      seen.add(c);
      anchors.push(i);
      positives.push(p);
    }
  });
  return mean(
    anchors.map((a, k) => {
      const z = positives.map((p) => -((d[a] as number[])[p] as number));
      return lse(z) - (z[k] as number);
    }),
  );
}

/** PML's TupletMarginLoss over cosines c (margin in degrees), mean over positive pairs. */
function tupletRef(c: Matrix, labels: number[], marginDeg: number, gamma: number): number {
  const m = (marginDeg * Math.PI) / 180;
  const losses: number[] = [];
  c.forEach((row, a) => {
    row.forEach((cap, p) => {
      if (!isPos(labels, a, p)) return;
      const shifted = Math.cos(Math.acos(cap) - m);
      let sum = 0;
      row.forEach((can, n) => {
        if (isNeg(labels, a, n)) sum += Math.exp(gamma * (can - shifted));
      });
      losses.push(Math.log1p(sum));
    });
  });
  return mean(losses);
}

/** PML's HistogramLoss: unique unordered pairs from the batch's triplets, PML's density (floor + two shares). */
function histogramRef(s: Matrix, labels: number[], bins: number): number {
  const delta = 2 / bins;
  const posPairs = new Set<string>();
  const negPairs = new Set<string>();
  const n = labels.length;
  for (let a = 0; a < n; a++)
    for (let p = 0; p < n; p++)
      for (let q = 0; q < n; q++)
        if (isPos(labels, a, p) && isNeg(labels, a, q)) {
          posPairs.add(`${Math.min(a, p)},${Math.max(a, p)}`);
          negPairs.add(`${Math.min(a, q)},${Math.max(a, q)}`);
        }
  const density = (pairs: Set<string>) => {
    const h = new Array(bins + 1).fill(0);
    for (const key of pairs) {
      const [i, j] = key.split(',').map(Number) as [number, number];
      const v = (s[i] as number[])[j] as number;
      const r = Math.floor((v + 1) / delta);
      h[r + 1] += (v + 1 - r * delta) / delta;
      h[r] += ((r + 1) * delta - 1 - v) / delta;
    }
    return h.map((t) => t / pairs.size);
  };
  const hp = density(posPairs);
  const hn = density(negPairs);
  let cum = 0;
  let loss = 0;
  for (let r = 0; r <= bins; r++) {
    cum += hp[r];
    loss += hn[r] * cum;
  }
  return loss;
}

/** Instance loss: −log Σ_{j same label, self included} softmax_j(−γ D_i·), AvgNonZero over anchors. */
function instanceRef(d: Matrix, labels: number[], gamma: number): number {
  return meanNonZero(
    d.map((row, i) => {
      const z = row.map((v) => -gamma * v);
      return lse(z) - lse(z.filter((_, j) => labels[j] === labels[i]));
    }),
  );
}

/** IntraPairVariance in the distance form: pos [D − (1+ε)μ⁺]₊², neg [(1−ε)μ⁻ − D]₊², each mean over its pairs. */
function intraPairRef(d: Matrix, labels: number[], posEps: number, negEps: number): number {
  const pos: number[] = [];
  const neg: number[] = [];
  d.forEach((row, i) => {
    row.forEach((v, j) => {
      if (isPos(labels, i, j)) pos.push(v);
      if (isNeg(labels, i, j)) neg.push(v);
    });
  });
  const mp = mean(pos);
  const mn = mean(neg);
  return (
    mean(pos.map((v) => Math.max(0, v - (1 + posEps) * mp) ** 2)) +
    mean(neg.map((v) => Math.max(0, (1 - negEps) * mn - v) ** 2))
  );
}

const sqD = (x: Matrix) => matrix(x, sqDist);
const cosS = (x: Matrix) => matrix(x, cosSim);
const oneMinus = (d: Matrix) => d.map((r) => r.map((v) => 1 - v));
const scaled = (d: Matrix) => {
  const s = offDiagonalMean(d);
  return d.map((r) => r.map((v) => v / s));
};

// ---- values ----

describe('CircleLoss', () => {
  it("is PML's CircleLoss (m 0.4, γ 80) with CosineDivergence and scale 'none'", () => {
    const loss = new CircleLoss({ divergence: cos, scale: 'none' });
    expect(value(loss, X, LABELS)).toBeCloseTo(circleRef(cosS(X), LABELS, 0.4, 80), 2);
    const l2 = [0, 1, 1, 0, 2, 2];
    expect(value(loss, X, l2)).toBeCloseTo(circleRef(cosS(X), l2, 0.4, 80), 2);
  });

  it('uses s = 1 − D̃ over any divergence (squared Euclidean, batch-mean scale, m 0.25, γ 4)', () => {
    const loss = new CircleLoss({ divergence: sq, m: 0.25, gamma: 4 });
    expect(value(loss, X, LABELS)).toBeCloseTo(circleRef(oneMinus(scaled(sqD(X))), LABELS, 0.25, 4), 4);
  });

  it('gradient: tf.grad = finite differences with α held (the paper detaches the weights)', () => {
    const loss = new CircleLoss({ divergence: sq, scale: 'none', m: 0.25, gamma: 4 });
    const alphaS = oneMinus(sqD(X));
    expectGradientMatches(
      (x) => loss.compute(x, LABELS),
      (x) => circleRef(oneMinus(sqD(x)), LABELS, 0.25, 4, alphaS),
      X,
    );
  });
});

describe('FastAPLoss', () => {
  it("is PML's FastAP (10 bins over [0, 4]) for squared Euclidean on unit vectors, scale 'none'", () => {
    const u = normalizeRows(X);
    const loss = new FastAPLoss({ divergence: sq, scale: 'none' });
    const expected = fastApRef(sqD(u), LABELS, 10, 4);
    expect(expected).toBeGreaterThan(0.05);
    expect(value(loss, u, LABELS)).toBeCloseTo(expected, 5);
  });

  it('clamps D̃ to histogramMax, with the batch-mean scale by default', () => {
    const x = X.map((r) => r.map((v) => 3 * v));
    const loss = new FastAPLoss({ divergence: sq, numBins: 5, histogramMax: 2 });
    expect(value(loss, x, LABELS)).toBeCloseTo(fastApRef(scaled(sqD(x)), LABELS, 5, 2), 5);
  });

  it('a perfect ranking costs 0; gradient = finite differences', () => {
    const far = [
      [0, 0],
      [0.1, 0],
      [5, 5],
      [5.1, 5],
    ];
    expect(value(new FastAPLoss({ divergence: sq, scale: 'none', histogramMax: 100 }), far, [0, 0, 1, 1])).toBe(0);
    const loss = new FastAPLoss({ divergence: sq, scale: 'none', numBins: 4 });
    expectGradientMatches(
      (x) => loss.compute(x, LABELS),
      (x) => fastApRef(sqD(x), LABELS, 4, 4),
      X,
    );
  });
});

describe('NPairsLoss', () => {
  it('one pair per class (first anchor with a positive, its first positive), logits −D', () => {
    const loss = new NPairsLoss({ divergence: sq, scale: 'none' });
    expect(value(loss, X, LABELS)).toBeCloseTo(nPairsRef(sqD(X), LABELS), 5);
    // Class 1: rows 0, 2; class 0: rows 1, 3; class 2: rows 4, 5; the singleton class 7 has no pair.
    const l2 = [1, 0, 1, 0, 2, 2];
    expect(value(loss, X, l2)).toBeCloseTo(nPairsRef(sqD(X), l2), 5);
    const l3 = [1, 0, 1, 0, 7, 1];
    expect(value(loss, X, l3)).toBeCloseTo(nPairsRef(sqD(X), l3), 5);
  });

  it('by hand: x = 0, 1, 3, 5 (labels 0, 0, 1, 1): pairs (0,1), (2,3)', () => {
    // Logits row 0: −D(0,1) = −1, −D(0,3)... p_1 = x1 = 1, p_2 = x3 = 5: z_0 = [−1, −25], z_2 = [−4, −4].
    // ℓ_0 = log(1 + e^{−24}), ℓ_2 = log 2.
    const loss = new NPairsLoss({ divergence: sq, scale: 'none' });
    expect(value(loss, [[0], [1], [3], [5]], [0, 0, 1, 1])).toBeCloseTo((Math.log1p(Math.exp(-24)) + Math.LN2) / 2, 6);
  });

  it('gradient = finite differences', () => {
    const loss = new NPairsLoss({ divergence: sq, scale: 'none' });
    expectGradientMatches(
      (x) => loss.compute(x, LABELS),
      (x) => nPairsRef(sqD(x), LABELS),
      X,
    );
  });
});

describe('TupletMarginLoss', () => {
  it("is PML's TupletMarginLoss (5.73°, scale 64) over CosineDivergence", () => {
    const loss = new TupletMarginLoss({ divergence: cos });
    expect(value(loss, X, LABELS)).toBeCloseTo(tupletRef(cosS(X), LABELS, 5.73, 64), 2);
    const small = new TupletMarginLoss({ divergence: cos, margin: 20, softmaxScale: 3 });
    expect(value(small, X, LABELS)).toBeCloseTo(tupletRef(cosS(X), LABELS, 20, 3), 4);
  });

  it('defaults to CosineDivergence (as ArcFace), with the same value as an explicit one', () => {
    const loss = new TupletMarginLoss();
    expect(loss.divergence.type).toBe('CosineDivergence');
    expect(loss.scale).toBe('none');
    expect(value(loss, X, LABELS)).toBeCloseTo(tupletRef(cosS(X), LABELS, 5.73, 64), 2);
  });

  it('refuses a divergence without angles, and a scale', () => {
    expectLossesError(
      () => new TupletMarginLoss({ divergence: sq }),
      'INVALID_ARGUMENT',
      /^TupletMarginLoss: expected a CosineDivergence \(the additive angular margin needs angles\), got "SquaredEuclideanDivergence"$/,
    );
    expect(() => new TupletMarginLoss({ divergence: cos, scale: 'batch-mean' })).toThrow(/expected scale 'none'/);
  });

  it('gradient = finite differences', () => {
    const loss = new TupletMarginLoss({ divergence: cos, margin: 20, softmaxScale: 3 });
    expectGradientMatches(
      (x) => loss.compute(x, LABELS),
      (x) => tupletRef(cosS(x), LABELS, 20, 3),
      X,
    );
  });
});

describe('HistogramLoss', () => {
  it("is PML's HistogramLoss (100 bins, and 10) with CosineDivergence and scale 'none'", () => {
    for (const bins of [100, 10]) {
      const loss = new HistogramLoss({ divergence: cos, scale: 'none', numBins: bins });
      const expected = histogramRef(cosS(X), LABELS, bins);
      expect(expected).toBeGreaterThan(0.05);
      expect(value(loss, X, LABELS)).toBeCloseTo(expected, 5);
    }
    expect(new HistogramLoss().numBins).toBe(100);
  });

  it('by hand: the share of negative similarities at or above the positive one', () => {
    // s = 1 − D, D = (x_i − x_j)²: x = 0, r = √0.5 (labels 0, 0) and 1 (label 1). 4 bins: nodes −1, −0.5, 0, 0.5, 1.
    // Positive pair s = 0.5: all of h⁺ on node 0.5, so Σ_{q≤r} h⁺_q = 1 from node 0.5 on, 0 before.
    // Negatives: (0, 1) s = 0 (node 0: counts 0); (r, 1) s₂ = 1 − (1 − r)² ≈ 0.914, split between nodes 0.5 and 1.
    // Each negative weighs ½, and all of the second's mass is on nodes ≥ 0.5: ℓ = ½.
    const r = Math.sqrt(0.5);
    const loss = new HistogramLoss({ divergence: sq, scale: 'none', numBins: 4 });
    expect(value(loss, [[0], [r], [1]], [0, 0, 1])).toBeCloseTo(0.5, 5);
  });

  it('gradient = finite differences (squared Euclidean, batch-mean scale)', () => {
    const loss = new HistogramLoss({ divergence: sq, numBins: 8 });
    expectGradientMatches(
      (x) => loss.compute(x, LABELS),
      (x) =>
        histogramRef(
          oneMinus(scaled(sqD(x))).map((r) => r.map((v) => Math.max(-1, v))),
          LABELS,
          8,
        ),
      X,
    );
  });
});

describe('InstanceLoss', () => {
  it('each sample classified among the batch (itself included) by −γD̃, its class its same-label samples', () => {
    const loss = new InstanceLoss({ divergence: sq, scale: 'none', gamma: 1 });
    expect(value(loss, X, LABELS)).toBeCloseTo(instanceRef(sqD(X), LABELS, 1), 5);
    expect(new InstanceLoss().gamma).toBe(64);
  });

  it("is PML's InstanceLoss without labels (each instance its own class): CE(γ·cos, self), γ 2", () => {
    const c = cosS(X);
    const expected = meanNonZero(c.map((row, i) => lse(row.map((v) => 2 * v)) - 2 * (row[i] as number)));
    const loss = new InstanceLoss({ divergence: cos, scale: 'none', gamma: 2 });
    expect(value(loss, X, [0, 1, 2, 3, 4, 5])).toBeCloseTo(expected, 5);
  });

  it('with a memory that holds only the batch (refStartsWithEmbeddings, CrossBatchMemory) it is the in-batch loss', () => {
    // The memory's head is the batch itself: the self column is each instance's own target, as without a memory.
    const loss = new InstanceLoss({ divergence: sq, scale: 'none', gamma: 1 });
    const expected = instanceRef(sqD(X), LABELS, 1);
    const x = tf.tensor2d(X);
    const withMemory = tf.tidy(
      () =>
        loss
          .compute(x, LABELS, { refEmbeddings: x, refLabels: LABELS, refStartsWithEmbeddings: true })
          .dataSync()[0] as number,
    );
    expect(withMemory).toBeCloseTo(expected, 5);
    const memory = new CrossBatchMemory({ loss, memorySize: 16, embeddingSize: 2 });
    expect(tf.tidy(() => memory.compute(x, LABELS).dataSync()[0] as number)).toBeCloseTo(expected, 5);
    memory.dispose();
    x.dispose();
  });

  it('refuses a tuple; gradient = finite differences', () => {
    const loss = new InstanceLoss({ divergence: sq, gamma: 2 });
    const t = tripletIndices([0], [1], [2]);
    expect(() => loss.compute(tf.tensor2d(X), LABELS, { indicesTuple: t })).toThrow(/expected no indicesTuple/);
    disposeIndices(t);
    expectGradientMatches(
      (x) => loss.compute(x, LABELS),
      (x) => instanceRef(scaled(sqD(x)), LABELS, 2),
      X,
    );
  });
});

describe('IntraPairVarianceLoss', () => {
  it('positives beyond (1 + ε)μ⁺ and negatives within (1 − ε)μ⁻ of their means, squared', () => {
    const loss = new IntraPairVarianceLoss({ divergence: sq, scale: 'none' });
    const expected = intraPairRef(sqD(X), LABELS, 0.01, 0.01);
    expect(expected).toBeGreaterThan(1e-3);
    expect(value(loss, X, LABELS)).toBeCloseTo(expected, 6);
    const b = new IntraPairVarianceLoss({ divergence: sq, posEps: 0.2, negEps: -0.1 });
    expect(value(b, X, LABELS)).toBeCloseTo(intraPairRef(scaled(sqD(X)), LABELS, 0.2, -0.1), 6);
  });

  it('by hand: x = 0, 1, 3 | 4, 10 (two classes)', () => {
    // Positive D (ordered): class 0: (0,1) 1, (0,3) 9, (1,3) 4 twice each → μ⁺ over 8 pairs with class 1's 36 ×2:
    // μ⁺ = (2·(1 + 9 + 4) + 2·36)/8 = 12.5; only D = 36 > 12.5: ℓ⁺ = 2·(36 − 12.5)²/8 = 138.0625.
    // Negative D: 0–4 16, 0–10 100, 1–4 9, 1–10 81, 3–4 1, 3–10 49 (×2): μ⁻ = 256/6; below it: 16, 9, 1.
    const loss = new IntraPairVarianceLoss({ divergence: sq, scale: 'none', posEps: 0, negEps: 0 });
    const mu = 256 / 6;
    const neg = ((mu - 16) ** 2 + (mu - 9) ** 2 + (mu - 1) ** 2) / 6;
    expect(value(loss, [[0], [1], [3], [4], [10]], [0, 0, 0, 1, 1])).toBeCloseTo(138.0625 + neg, 2);
  });

  it('gradient = finite differences (through the means too)', () => {
    const loss = new IntraPairVarianceLoss({ divergence: sq, posEps: 0.05, negEps: 0.05 });
    expectGradientMatches(
      (x) => loss.compute(x, LABELS),
      (x) => intraPairRef(scaled(sqD(x)), LABELS, 0.05, 0.05),
      X,
    );
  });
});

// ---- every new loss: a learned divergence, degenerate batches, tensor lifetime ----

const makeAll = (divergence: BregmanDivergence | SquaredEuclideanDivergence): MetricLoss[] => [
  new CircleLoss({ divergence, gamma: 4 }),
  new FastAPLoss({ divergence }),
  new NPairsLoss({ divergence }),
  new HistogramLoss({ divergence, numBins: 10 }),
  new InstanceLoss({ divergence, gamma: 2 }),
  new IntraPairVarianceLoss({ divergence }),
];

describe('with a learned Bregman divergence (ICNN φ)', () => {
  it('smooth losses: gradients w.r.t. embeddings and φ match central finite differences', () => {
    for (const loss of [
      new NPairsLoss({ divergence: learned }),
      new InstanceLoss({ divergence: learned, gamma: 2 }),
      new IntraPairVarianceLoss({ divergence: learned, posEps: 0.05 }),
    ]) {
      const emb = tf.variable(tf.tensor2d(X));
      const vars = [emb, learned.trainableVariables[0] as tf.Variable];
      const f = () => loss.compute(emb as tf.Tensor2D, LABELS);
      const { grads } = tf.variableGrads(f, vars);
      const h = 1e-2;
      let norm = 0;
      for (const v of vars) {
        const g = (grads[v.name] as tf.Tensor).dataSync();
        const base = v.dataSync().slice();
        for (let k = 0; k < Math.min(base.length, 8); k++) {
          const at = (delta: number) => {
            const values = base.slice();
            values[k] = (values[k] as number) + delta;
            v.assign(tf.tensor(values, v.shape));
            return tf.tidy(() => f().dataSync()[0] as number);
          };
          const fd = (at(h) - at(-h)) / (2 * h);
          v.assign(tf.tensor(base, v.shape));
          norm += Math.abs(fd);
          expect(Math.abs((g[k] as number) - fd), loss.type).toBeLessThan(3e-2 * (1 + Math.abs(fd)));
        }
      }
      expect(norm).toBeGreaterThan(1e-3);
      tf.dispose(grads);
      emb.dispose();
      loss.dispose();
    }
  });

  it('every loss is finite with finite gradients, in both query slots', () => {
    for (const querySlot of ['left', 'right'] as const) {
      for (const loss of [
        new CircleLoss({ divergence: learned, querySlot }),
        new FastAPLoss({ divergence: learned, querySlot }),
        new HistogramLoss({ divergence: learned, querySlot }),
      ]) {
        const { value: v, grad } = valueAndGradient((x) => loss.compute(x, LABELS), X);
        expect(Number.isFinite(v), loss.type).toBe(true);
        expect(grad.flat().every(Number.isFinite)).toBe(true);
        loss.dispose();
      }
    }
  });
});

describe('degenerate batches: explicit zeros, never NaN', () => {
  it('one class, no positives, one sample, empty tuples: 0 with zero gradients', () => {
    for (const div of [sq, learned]) {
      for (const loss of makeAll(div)) {
        const cases: [Matrix, number[], object][] = [
          [X, [3, 3, 3, 3, 3, 3], {}],
          [X, [0, 1, 2, 3, 4, 5], {}],
          [[[0.3, 0.2]], [0], {}],
        ];
        for (const [x, labels, options] of cases) {
          // Instance loss: with distinct labels each sample is its own class (tested above), not an empty batch.
          if (loss instanceof InstanceLoss && labels[1] === 1) continue;
          const { value: v, grad } = valueAndGradient((t) => loss.compute(t, labels, options), x);
          if (loss instanceof InstanceLoss && labels[0] === 3) {
            // One class: every column is a target, −log 1 = 0.
            expect(v).toBeCloseTo(0, 6);
          } else if (loss instanceof IntraPairVarianceLoss && x.length > 1) {
            // One class / no positives: the other term stays (its own gradient), as in PML.
            if (div === sq) expect(v).toBeCloseTo(intraPairRef(scaled(sqD(x)), labels, 0.01, 0.01), 5);
            expect(v > 0 && grad.flat().every(Number.isFinite)).toBe(true);
          } else {
            expect(v, `${loss.type} ${labels}`).toBe(0);
            expect(
              grad.flat().every((g) => g === 0),
              loss.type,
            ).toBe(true);
          }
        }
        if (!(loss instanceof InstanceLoss)) {
          const empty = pairIndices([], [], [], []);
          const { value: v, grad } = valueAndGradient((t) => loss.compute(t, LABELS, { indicesTuple: empty }), X);
          expect(v, loss.type).toBe(0);
          expect(grad.flat().every((g) => g === 0)).toBe(true);
          disposeIndices(empty);
        }
        loss.dispose();
      }
    }
    const tuplet = new TupletMarginLoss({ divergence: cos });
    expect(value(tuplet, X, [0, 0, 0, 0, 0, 0])).toBe(0);
    expect(value(tuplet, X, [0, 1, 2, 3, 4, 5])).toBe(0);
  });

  it('a mined tuple restricts the pairs: FastAP ranks only the mined pairs', () => {
    // Pairs of anchor 0 only: positive (0,1), negatives (0,2), (0,4).
    const t = pairIndices([0], [1], [0, 0], [2, 4]);
    const loss = new FastAPLoss({ divergence: sq, scale: 'none' });
    const d = sqD(X);
    // The reference sees row 0 only, with columns [self, 1, 2, 4] labelled [0, 0, 1, 2].
    const ref = fastApRef([[0, d[0]![1]!, d[0]![2]!, d[0]![4]!]], [0, 0, 1, 2], 10, 4);
    expect(ref).not.toBeCloseTo(fastApRef(d, LABELS, 10, 4), 2);
    expect(value(loss, X, LABELS, { indicesTuple: t })).toBeCloseTo(ref, 5);
    disposeIndices(t);
  });
});

describe('tensor lifetime', () => {
  it('numTensors is flat over 20 optimiser steps of every new loss (learned divergence)', () => {
    const losses = [...makeAll(learned), new TupletMarginLoss({ divergence: cos })];
    const emb = tf.variable(tf.tensor2d(X));
    const optimizer = tf.train.adam(0.01);
    const vars = [emb, ...learned.trainableVariables];
    const step = () =>
      optimizer.minimize(
        () => losses.reduce((acc: tf.Scalar, l) => tf.add(acc, l.compute(emb as tf.Tensor2D, LABELS)), tf.scalar(0)),
        false,
        vars,
      );
    step();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 20; i++) step();
    expect(tf.memory().numTensors).toBe(before);
    optimizer.dispose();
    emb.dispose();
    for (const l of losses) l.dispose();
  });
});
