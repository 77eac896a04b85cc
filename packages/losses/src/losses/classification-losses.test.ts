import * as tf from '@tensorflow/tfjs-core';
import { BregmanDivergence, CosineDivergence, SquaredEuclideanDivergence } from '@empirical-bregman/bregman-core';
import { IcnnConvexFunction } from '@empirical-bregman/convex-net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ArcFaceLoss,
  CosFaceLoss,
  type MetricLoss,
  NormalizedSoftmaxLoss,
  SoftTripleLoss,
  SubCenterArcFaceLoss,
  SumReducer,
  tripletIndices,
  disposeIndices,
} from '../index';
import { expectGradientsMatchFiniteDifferences } from '../testing/expect-gradients-match-finite-differences';
import { expectLossesError } from '../testing/expect-losses-error';

// Expected values follow PML's definitions (pytorch-metric-learning 2.x: losses/arcface_loss.py, cosface_loss.py,
// subcenter_arcface_loss.py, normalized_softmax_loss.py, soft_triple_loss.py), evaluated below in float64 with
// explicit loops over plain arrays (never with the code under test), or written out by hand in the comments.

const cosine = new CosineDivergence();
const sq = new SquaredEuclideanDivergence();
let learned: BregmanDivergence;
beforeAll(() => {
  learned = new BregmanDivergence(new IcnnConvexFunction({ dim: 2, hiddenSizes: [6], seed: 3 }));
});
afterAll(() => learned.dispose());

const X = [
  [0.9, 0.2],
  [-0.3, 0.8],
  [0.1, -0.7],
  [-0.6, -0.5],
  [0.4, 0.5],
];
const LABELS = [0, 1, 2, 1, 0];
/** Three class weights (C = 3, K = 1). */
const W = [
  [1, 0.1],
  [-0.4, 1],
  [0.2, -1],
];
/** Two centers per class (C = 3, K = 2), row c·K + k. */
const W2 = [
  [1, 0.1],
  [0.3, 0.9],
  [-0.4, 1],
  [-1, -0.2],
  [0.2, -1],
  [0.8, -0.6],
];

const dot = (a: number[], b: number[]) => a.reduce((s, v, k) => s + v * (b[k] as number), 0);
const norm = (a: number[]) => Math.sqrt(dot(a, a));
const cos = (a: number[], b: number[]) => dot(a, b) / (norm(a) * norm(b));
const sqDist = (a: number[], b: number[]) => a.reduce((s, v, k) => s + (v - (b[k] as number)) ** 2, 0);
const lse = (v: number[]) => {
  const m = Math.max(...v);
  return m + Math.log(v.reduce((s, t) => s + Math.exp(t - m), 0));
};
/** Mean cross-entropy of logit rows over the samples whose label is a column. */
function meanCrossEntropy(logits: number[][], labels: number[]): number {
  let total = 0;
  let count = 0;
  logits.forEach((z, i) => {
    const y = labels[i] as number;
    if (y >= 0 && y < z.length) {
      total += lse(z) - (z[y] as number);
      count++;
    }
  });
  return count === 0 ? 0 : total / count;
}
/** PML's ArcFace target logit (before the scale), with the angle from arccos. */
function arcTarget(c: number, m: number): number {
  const theta = Math.acos(Math.min(1, Math.max(-1, c)));
  return theta <= Math.PI - m ? Math.cos(theta + m) : Math.cos(theta) - m * Math.sin(m);
}
function value(loss: MetricLoss, x: number[][], labels: number[]): number {
  return tf.tidy(() => loss.compute(tf.tensor2d(x, [x.length, 2]), labels).dataSync()[0] as number);
}

describe('ArcFaceLoss', () => {
  it('hand-computed: x = w_0 = (1, 0), w_1 = (0, 1), label 0, m = 0.5, s = 1 → log(1 + e^{−cos 0.5})', () => {
    // θ_0 = 0 → target logit cos(0.5); θ_1 = π/2 → logit 0. Also checks sin θ = 0 (x on its weight) stays finite.
    const loss = new ArcFaceLoss({
      numClasses: 2,
      embeddingDim: 2,
      initialProxies: [
        [1, 0],
        [0, 1],
      ],
      logitScale: 1,
    });
    expect(value(loss, [[1, 0]], [0])).toBeCloseTo(Math.log1p(Math.exp(-Math.cos(0.5))), 6);
    // At θ = 0, d sin θ / d cos θ is infinite; the loss's gradient must stay finite (arccos-based code gives NaN).
    const g = tf.tidy(() =>
      Array.from(
        tf
          .grad((e: tf.Tensor) => loss.compute(e as tf.Tensor2D, [0]))(tf.tensor2d([[1, 0]]))
          .dataSync(),
      ),
    );
    expect(g.every(Number.isFinite)).toBe(true);
    loss.dispose();
  });

  it("PML's formula with the defaults (m = 0.5 rad ≈ PML's 28.6°, s = 64), including the θ > π − m branch", () => {
    // Sample 5 points away from its class weight (θ ≈ 3.03 > π − 0.5): PML's cos θ − m·sin m branch.
    const x = [...X, [-1, -0.05]];
    const labels = [...LABELS, 0];
    const expected = meanCrossEntropy(
      x.map((e, i) => W.map((w, c) => 64 * (c === labels[i] ? arcTarget(cos(e, w), 0.5) : cos(e, w)))),
      labels,
    );
    const loss = new ArcFaceLoss({ numClasses: 3, embeddingDim: 2, initialProxies: W });
    expect(loss.margin).toBe(0.5);
    expect(loss.logitScale).toBe(64);
    expect(Math.acos(cos(x[5]!, W[0]!))).toBeGreaterThan(Math.PI - 0.5);
    expect(value(loss, x, labels)).toBeCloseTo(expected, 3);
    loss.dispose();
  });

  it('refuses any divergence but the cosine, and any scale but none', () => {
    expectLossesError(
      () => new ArcFaceLoss({ numClasses: 3, embeddingDim: 2, divergence: sq }),
      'INVALID_ARGUMENT',
      /^ArcFaceLoss: expected a CosineDivergence \(the additive angular margin needs angles\), got "SquaredEuclideanDivergence"$/,
    );
    expectLossesError(
      () => new SubCenterArcFaceLoss({ numClasses: 3, embeddingDim: 2, scale: 'batch-mean' }),
      'INVALID_ARGUMENT',
      /^SubCenterArcFaceLoss: expected scale 'none'/,
    );
    expectLossesError(
      () => new ArcFaceLoss({ numClasses: 0, embeddingDim: 2 }),
      'INVALID_ARGUMENT',
      /ArcFaceLoss: expected numClasses to be a positive integer, got 0/,
    );
  });
});

describe('SubCenterArcFaceLoss', () => {
  it("PML's formula: the cosine to a class is the max over its K sub-centers, then ArcFace", () => {
    const m = 0.3;
    const s = 10;
    const expected = meanCrossEntropy(
      X.map((e, i) =>
        [0, 1, 2].map((c) => {
          const best = Math.max(cos(e, W2[2 * c]!), cos(e, W2[2 * c + 1]!));
          return s * (c === LABELS[i] ? arcTarget(best, m) : best);
        }),
      ),
      LABELS,
    );
    const loss = new SubCenterArcFaceLoss({
      numClasses: 3,
      embeddingDim: 2,
      subCenters: 2,
      initialProxies: W2,
      margin: m,
      logitScale: s,
    });
    expect(loss.proxies.shape).toEqual([6, 2]);
    expect(value(loss, X, LABELS)).toBeCloseTo(expected, 4);
    loss.dispose();
    const defaults = new SubCenterArcFaceLoss({ numClasses: 4, embeddingDim: 5 });
    expect([defaults.subCenters, defaults.margin, defaults.logitScale]).toEqual([3, 0.5, 64]);
    expect(defaults.proxies.shape).toEqual([12, 5]);
    defaults.dispose();
  });
});

describe('CosFaceLoss', () => {
  it("PML's formula with CosineDivergence and scale 'none' (defaults m = 0.35, s = 64)", () => {
    const expected = meanCrossEntropy(
      X.map((e, i) => W.map((w, c) => 64 * (cos(e, w) - (c === LABELS[i] ? 0.35 : 0)))),
      LABELS,
    );
    const loss = new CosFaceLoss({ numClasses: 3, embeddingDim: 2, initialProxies: W, scale: 'none' });
    expect(loss.divergence.type).toBe('CosineDivergence');
    expect(value(loss, X, LABELS)).toBeCloseTo(expected, 3);
    loss.dispose();
  });

  it('over a general divergence: logits −s(D̃ + m·[target]) with D̃ = D / mean over all (sample, weight) pairs', () => {
    const d = X.map((e) => W.map((w) => sqDist(e, w)));
    const mean = d.flat().reduce((a, b) => a + b, 0) / d.flat().length;
    const expected = meanCrossEntropy(
      d.map((row, i) => row.map((v, c) => 2 * (1 - v / mean - (c === LABELS[i] ? 0.2 : 0)))),
      LABELS,
    );
    const loss = new CosFaceLoss({
      numClasses: 3,
      embeddingDim: 2,
      initialProxies: W,
      divergence: sq,
      margin: 0.2,
      logitScale: 2,
    });
    expect(value(loss, X, LABELS)).toBeCloseTo(expected, 5);
    expect(loss.lastStats?.scale).toBeCloseTo(mean, 5);
    loss.dispose();
  });
});

describe('NormalizedSoftmaxLoss', () => {
  const unit = W.map((w) => w.map((v) => v / norm(w)));

  it("equals PML's default (dot product, τ_PML = τ/2) with SquaredEuclidean and scale 'none'", () => {
    // PML: z = ⟨x, ŵ_c⟩/τ_PML. Here: −‖x − ŵ_c‖²/τ = (2⟨x, ŵ_c⟩ − ‖x‖² − 1)/τ, the same softmax for τ = 2τ_PML.
    const expected = meanCrossEntropy(
      X.map((e) => unit.map((w) => dot(e, w) / 0.05)),
      LABELS,
    );
    const loss = new NormalizedSoftmaxLoss({
      numClasses: 3,
      embeddingDim: 2,
      initialProxies: W,
      scale: 'none',
      temperature: 0.1,
    });
    expect(value(loss, X, LABELS)).toBeCloseTo(expected, 3);
    loss.dispose();
    const defaults = new NormalizedSoftmaxLoss({ numClasses: 3, embeddingDim: 2 });
    expect(defaults.temperature).toBe(0.05);
    expect(defaults.divergence.type).toBe('SquaredEuclideanDivergence');
    defaults.dispose();
  });

  it('a zero weight row: ŵ = 0 (the CosineDivergence convention), a finite loss and a zero gradient on that row', () => {
    // Class 2's weight is 0: ŵ_2 = 0, so z_i2 = −‖x_i‖²/τ (SquaredEuclidean, scale 'none'); the gradient w.r.t. w_2
    // is 0 (normalizeRows' zero-row convention), where max(‖w‖, ε) gave NaN (√ at 0).
    const zeroRow = [W[0]!, W[1]!, [0, 0]];
    const unitZ = [unit[0]!, unit[1]!, [0, 0]];
    const expected = meanCrossEntropy(
      X.map((e) => unitZ.map((w) => -sqDist(e, w) / 0.1)),
      LABELS,
    );
    const loss = new NormalizedSoftmaxLoss({
      numClasses: 3,
      embeddingDim: 2,
      initialProxies: zeroRow,
      scale: 'none',
      temperature: 0.1,
    });
    expect(value(loss, X, LABELS)).toBeCloseTo(expected, 3);
    const g = tf.tidy(() => {
      const { grads } = tf.variableGrads(() => loss.compute(tf.tensor2d(X), LABELS), [loss.proxies]);
      return grads[loss.proxies.name]!.arraySync() as number[][];
    });
    expect(g.flat().every(Number.isFinite)).toBe(true);
    expect(g[2]).toEqual([0, 0]);
    expect(Math.abs(g[0]![0]!)).toBeGreaterThan(0);
    loss.dispose();
  });

  it('with CosineDivergence: softmax of cos/τ (PML with CosineSimilarity); weights of any length', () => {
    const expected = meanCrossEntropy(
      X.map((e) => W.map((w) => cos(e, w) / 0.05)),
      LABELS,
    );
    const scaled = W.map((w, c) => w.map((v) => v * (c + 2)));
    const loss = new NormalizedSoftmaxLoss({
      numClasses: 3,
      embeddingDim: 2,
      initialProxies: scaled,
      divergence: cosine,
      scale: 'none',
    });
    expect(value(loss, X, LABELS)).toBeCloseTo(expected, 3);
    loss.dispose();
  });
});

describe('SoftTripleLoss', () => {
  function softTriple(
    x: number[][],
    labels: number[],
    centers: number[][],
    k: number,
    la: number,
    gamma: number,
    margin: number,
  ) {
    const c = centers.length / k;
    return meanCrossEntropy(
      x.map((e, i) => {
        const z: number[] = [];
        for (let cls = 0; cls < c; cls++) {
          const s = centers.slice(cls * k, cls * k + k).map((w) => cos(e, w));
          const weights = s.map((v) => Math.exp(v / gamma));
          const total = weights.reduce((a, b) => a + b, 0);
          const sim = s.reduce((acc, v, j) => acc + ((weights[j] as number) / total) * v, 0);
          z.push(la * (sim - (cls === labels[i] ? margin : 0)));
        }
        return z;
      }),
      labels,
    );
  }

  it("PML's formula with CosineDivergence and scale 'none' (defaults λ = 20, γ = 0.1, δ = 0.01)", () => {
    const loss = new SoftTripleLoss({
      numClasses: 3,
      embeddingDim: 2,
      centersPerClass: 2,
      initialProxies: W2,
      scale: 'none',
    });
    expect([loss.lambda, loss.gamma, loss.margin]).toEqual([20, 0.1, 0.01]);
    expect(value(loss, X, LABELS)).toBeCloseTo(softTriple(X, LABELS, W2, 2, 20, 0.1, 0.01), 4);
    loss.dispose();
    const defaults = new SoftTripleLoss({ numClasses: 2, embeddingDim: 3 });
    expect(defaults.proxies.shape).toEqual([20, 3]);
    defaults.dispose();
  });

  it('hand-computed: one center per class, γ irrelevant: −log softmax of λ(cos − δ·[target])', () => {
    // x = (1, 0), centers (1, 0) and (0, 1), label 0, λ = 1, δ = 0.5: logits 0.5 and 0 → log(1 + e^{−0.5}).
    const loss = new SoftTripleLoss({
      numClasses: 2,
      embeddingDim: 2,
      centersPerClass: 1,
      initialProxies: [
        [1, 0],
        [0, 1],
      ],
      lambda: 1,
      margin: 0.5,
      scale: 'none',
    });
    expect(value(loss, [[1, 0]], [0])).toBeCloseTo(Math.log1p(Math.exp(-0.5)), 6);
    loss.dispose();
  });
});

function makeLosses(divergence: BregmanDivergence | null): MetricLoss[] {
  // Cosine: scale 'none' (PML's exact forms); learned: the default batch-mean scale.
  const general = divergence === null ? { scale: 'none' as const } : { divergence };
  const cosineOnly = divergence === null;
  const losses: MetricLoss[] = [
    new CosFaceLoss({ ...general, numClasses: 3, embeddingDim: 2, initialProxies: W, logitScale: 3, margin: 0.2 }),
    new NormalizedSoftmaxLoss({ ...general, numClasses: 3, embeddingDim: 2, initialProxies: W, temperature: 0.5 }),
    new SoftTripleLoss({
      ...general,
      numClasses: 3,
      embeddingDim: 2,
      centersPerClass: 2,
      initialProxies: W2,
      lambda: 3,
      gamma: 0.5,
      margin: 0.1,
    }),
  ];
  if (cosineOnly) {
    losses.push(
      new ArcFaceLoss({ numClasses: 3, embeddingDim: 2, initialProxies: W, logitScale: 2, margin: 0.3 }),
      new SubCenterArcFaceLoss({
        numClasses: 3,
        embeddingDim: 2,
        subCenters: 2,
        initialProxies: W2,
        logitScale: 2,
        margin: 0.3,
      }),
    );
  }
  return losses;
}

describe('gradients match central finite differences', () => {
  it('cosine divergence (all five losses): w.r.t. embeddings and class weights', () => {
    for (const loss of makeLosses(null)) {
      const emb = tf.variable(tf.tensor2d(X));
      expectGradientsMatchFiniteDifferences(
        () => loss.compute(emb as tf.Tensor2D, LABELS),
        [emb, ...loss.trainableVariables],
        {
          h: 1e-3,
          tolerance: 2e-2,
        },
      );
      emb.dispose();
      loss.dispose();
    }
  });

  it('learned Bregman divergence (CosFace, NormalizedSoftmax, SoftTriple; batch-mean scale): also w.r.t. φ', () => {
    for (const loss of makeLosses(learned)) {
      const emb = tf.variable(tf.tensor2d(X));
      expectGradientsMatchFiniteDifferences(
        () => loss.compute(emb as tf.Tensor2D, LABELS),
        [emb, learned.trainableVariables[0]!, ...loss.trainableVariables],
      );
      emb.dispose();
      loss.dispose();
    }
  });
});

describe('degenerate batches and bookkeeping', () => {
  it('labels outside 0..C−1 do not count; none in range gives 0 with zero gradients; one sample is finite', () => {
    for (const loss of makeLosses(null)) {
      const all = value(loss, X, LABELS);
      const some = value(loss, [...X, [0.5, 0.5]], [...LABELS, 7]);
      expect(some, loss.type).toBeCloseTo(all, 5);
      const { v, g } = tf.tidy(() => {
        const { value, grad } = tf.valueAndGrad((e: tf.Tensor) => loss.compute(e as tf.Tensor2D, [-1, 3, 5, 9, 4]))(
          tf.tensor2d(X),
        );
        return { v: value.dataSync()[0], g: Array.from(grad.dataSync()) };
      });
      expect(v, loss.type).toBe(0);
      expect(g.every((x) => x === 0)).toBe(true);
      const single = value(loss, [[0.3, -0.2]], [2]);
      expect(Number.isFinite(single) && single > 0, loss.type).toBe(true);
      loss.dispose();
    }
  });

  it('one class only (C = 1): the cross-entropy of a single logit is 0', () => {
    const loss = new CosFaceLoss({ numClasses: 1, embeddingDim: 2 });
    expect(value(loss, X, [0, 0, 0, 0, 0])).toBe(0);
    loss.dispose();
  });

  it('an empty batch is 0', () => {
    for (const loss of makeLosses(null)) {
      // Exactly 0 on every backend: runtime makes wasm's reductions of empty tensors exact (stock tfjs-backend-wasm
      // 4.22 returned leftover memory, ≈ 3.6e-41 for tf.sum(tf.zeros([0, 3]))).
      expect(value(loss, [], []), loss.type).toBe(0);
      loss.dispose();
    }
  });

  it('the reducer is injected: SumReducer gives n × the mean', () => {
    const mean = new CosFaceLoss({ numClasses: 3, embeddingDim: 2, initialProxies: W, logitScale: 3 });
    const sum = new CosFaceLoss({
      numClasses: 3,
      embeddingDim: 2,
      initialProxies: W,
      logitScale: 3,
      reducer: new SumReducer(),
    });
    expect(value(sum, X, LABELS)).toBeCloseTo(5 * value(mean, X, LABELS), 4);
    mean.dispose();
    sum.dispose();
  });

  it('refuses indices tuples and reference sets (the weights are the reference set)', () => {
    const loss = new SoftTripleLoss({ numClasses: 3, embeddingDim: 2, centersPerClass: 2 });
    const t = tripletIndices([0], [4], [1]);
    const x = tf.tensor2d(X);
    expectLossesError(
      () => loss.compute(x, LABELS, { indicesTuple: t }),
      'INVALID_ARGUMENT',
      /SoftTripleLoss\.compute: expected no indicesTuple/,
    );
    expectLossesError(
      () => loss.compute(x, LABELS, { refEmbeddings: x, refLabels: LABELS }),
      'INVALID_ARGUMENT',
      /SoftTripleLoss\.compute: expected no indicesTuple\/refEmbeddings/,
    );
    expectLossesError(
      () => new SoftTripleLoss({ numClasses: 3, embeddingDim: 2, centersPerClass: 2, initialProxies: W }),
      'INVALID_SHAPE',
      /SoftTripleLoss: expected initialProxies as 6 rows of width 2, got 3 rows/,
    );
    disposeIndices(t);
    x.dispose();
    loss.dispose();
  });

  it('the class weights are trainable: 30 Adam steps on them alone lower the loss (fixed embeddings)', () => {
    for (const loss of [...makeLosses(null), ...makeLosses(learned)]) {
      const x = tf.tensor2d(X);
      const before = value(loss, X, LABELS);
      const optimizer = tf.train.adam(0.05);
      for (let i = 0; i < 30; i++) optimizer.minimize(() => loss.compute(x, LABELS), false, loss.trainableVariables);
      expect(value(loss, X, LABELS), loss.type).toBeLessThan(before * 0.9);
      optimizer.dispose();
      x.dispose();
      loss.dispose();
    }
  });

  it('numTensors is unchanged by construction + dispose, and over 50 training steps (learned divergence)', () => {
    const before = tf.memory().numTensors;
    for (const loss of makeLosses(null)) loss.dispose();
    expect(tf.memory().numTensors).toBe(before);
    const emb = tf.variable(tf.tensor2d(X));
    const losses = makeLosses(learned);
    const optimizer = tf.train.adam(0.01);
    const vars = [emb, ...learned.trainableVariables, ...losses.flatMap((l) => l.trainableVariables)];
    const step = () =>
      optimizer.minimize(
        () => tf.addN(losses.map((l) => l.compute(emb as tf.Tensor2D, LABELS))) as tf.Scalar,
        false,
        vars,
      );
    step();
    const during = tf.memory().numTensors;
    for (let i = 0; i < 50; i++) step();
    expect(tf.memory().numTensors).toBe(during);
    expect(losses[0]!.lastStats?.elements).toBe(5);
    optimizer.dispose();
    for (const l of losses) l.dispose();
    emb.dispose();
  });
});
