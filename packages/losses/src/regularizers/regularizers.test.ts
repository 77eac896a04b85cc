import * as tf from '@tensorflow/tfjs-core';
import { SquaredEuclideanDivergence } from '@empirical-bregman/bregman-core';
import { describe, expect, it } from 'vitest';
import {
  CenterInvariantRegularizer,
  CosFaceLoss,
  LpRegularizer,
  ProxyNCALoss,
  RegularFaceRegularizer,
  type Regularizer,
  SoftTripleLoss,
  SparseCentersRegularizer,
  SumReducer,
  TripletMarginLoss,
  ZeroMeanRegularizer,
} from '../index';
import { expectGradientsMatchFiniteDifferences } from '../testing/expect-gradients-match-finite-differences';
import { expectLossesError } from '../testing/expect-losses-error';

// Expected values follow PML's regularizers (pytorch-metric-learning 2.x, regularizers/*.py) with their default
// MeanReducer, evaluated in float64 with explicit loops or by hand in the comments.

const ROWS = [
  [1, 0, 2],
  [0, -2, 1],
  [3, 1, -1],
  [0.5, 0.5, 0.5],
];

function value(regularizer: Regularizer, rows: number[][]): number {
  return tf.tidy(
    () => regularizer.compute(tf.tensor2d(rows, [rows.length, rows[0]?.length ?? 2])).dataSync()[0] as number,
  );
}
const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
const cos = (a: number[], b: number[]) => {
  const dot = (u: number[], w: number[]) => u.reduce((s, x, k) => s + x * (w[k] as number), 0);
  return dot(a, b) / Math.sqrt(dot(a, a) * dot(b, b));
};

describe('values', () => {
  it('LpRegularizer: mean of ‖x‖_p^power (p = 2, power = 1 by default)', () => {
    // Row norms: √5, √5, √11, √0.75.
    expect(value(new LpRegularizer(), ROWS)).toBeCloseTo((2 * Math.sqrt(5) + Math.sqrt(11) + Math.sqrt(0.75)) / 4, 5);
    // p = 1: 3, 3, 5, 1.5.
    expect(value(new LpRegularizer({ p: 1 }), ROWS)).toBeCloseTo(12.5 / 4, 5);
    // p = 2, power = 2: 5, 5, 11, 0.75.
    expect(value(new LpRegularizer({ power: 2 }), ROWS)).toBeCloseTo(21.75 / 4, 5);
    const p3 = ROWS.map((r) => r.reduce((s, x) => s + Math.abs(x) ** 3, 0) ** (2 / 3));
    expect(value(new LpRegularizer({ p: 3, power: 2 }), ROWS)).toBeCloseTo(mean(p3), 4);
    expect(value(new LpRegularizer({ reducer: new SumReducer() }), ROWS)).toBeCloseTo(
      2 * Math.sqrt(5) + Math.sqrt(11) + Math.sqrt(0.75),
      5,
    );
    expectLossesError(
      () => new LpRegularizer({ p: 0.5 }),
      'INVALID_ARGUMENT',
      /^LpRegularizer: expected p ≥ 1 \(a norm\), got 0\.5$/,
    );
  });

  it('ZeroMeanRegularizer: mean of |Σ_k x_ik| = (3 + 1 + 3 + 1.5)/4', () => {
    expect(value(new ZeroMeanRegularizer(), ROWS)).toBeCloseTo(8.5 / 4, 6);
  });

  it('CenterInvariantRegularizer: mean of (‖w‖² − mean ‖w‖²)²/4', () => {
    // ‖w‖² = 5, 5, 11, 0.75, mean 5.4375; deviations −0.4375, −0.4375, 5.5625, −4.6875.
    const dev = [-0.4375, -0.4375, 5.5625, -4.6875];
    expect(value(new CenterInvariantRegularizer(), ROWS)).toBeCloseTo(mean(dev.map((d) => (d * d) / 4)), 5);
  });

  it('RegularFaceRegularizer: mean over classes of the largest cosine to another class', () => {
    // [1,0], [0,2], [3,1]: cos01 = 0, cos02 = 3/√10, cos12 = 1/√10 → maxima 3/√10, 1/√10, 3/√10.
    const rows = [
      [1, 0],
      [0, 2],
      [3, 1],
    ];
    expect(value(new RegularFaceRegularizer(), rows)).toBeCloseTo(7 / (3 * Math.sqrt(10)), 5);
    const loop = ROWS.map((a, i) => Math.max(...ROWS.filter((_, j) => j !== i).map((b) => cos(a, b))));
    expect(value(new RegularFaceRegularizer(), ROWS)).toBeCloseTo(mean(loop), 5);
    expect(value(new RegularFaceRegularizer(), [[1, 2]])).toBe(0);
  });

  it('SparseCentersRegularizer: Σ_c Σ_{s<t} √(2 − 2cos) / (C·K·(K − 1))', () => {
    // C = 2, K = 2: class 0 centers [1,0], [0,1] (cos 0 → √2); class 1 centers [1,1], [2,2] (cos 1 → 0).
    const rows = [
      [1, 0],
      [0, 1],
      [1, 1],
      [2, 2],
    ];
    const reg = new SparseCentersRegularizer({ numClasses: 2, centersPerClass: 2 });
    // 3 digits: [1,1] and [2,2] give cos = 1 − ε in float32, and the square root magnifies ε (√(2ε) ≈ 3e-4).
    expect(value(reg, rows)).toBeCloseTo(Math.SQRT2 / 4, 3);
    // C = 1, K = 4: every pair of the four rows.
    let sum = 0;
    for (let s = 0; s < 4; s++) for (let t = s + 1; t < 4; t++) sum += Math.sqrt(2 - 2 * cos(ROWS[s]!, ROWS[t]!));
    expect(value(new SparseCentersRegularizer({ numClasses: 1, centersPerClass: 4 }), ROWS)).toBeCloseTo(sum / 12, 5);
    expectLossesError(
      () => new SparseCentersRegularizer({ numClasses: 2, centersPerClass: 1 }),
      'INVALID_ARGUMENT',
      /SparseCentersRegularizer: expected centersPerClass > 1/,
    );
    expectLossesError(
      () => reg.compute(tf.zeros([3, 2]) as tf.Tensor2D),
      'INVALID_SHAPE',
      /^SparseCentersRegularizer\.compute: expected 4 rows \(numClasses 2 × centersPerClass 2\), got 3$/,
    );
  });
});

describe('gradients', () => {
  const all = (): Regularizer[] => [
    new LpRegularizer(),
    new LpRegularizer({ p: 3, power: 1.5 }),
    new ZeroMeanRegularizer(),
    new CenterInvariantRegularizer(),
    new RegularFaceRegularizer(),
    new SparseCentersRegularizer({ numClasses: 2, centersPerClass: 2 }),
  ];

  it('match central finite differences', () => {
    for (const reg of all()) {
      const rows = tf.variable(tf.tensor2d(ROWS));
      expectGradientsMatchFiniteDifferences(() => reg.compute(rows as tf.Tensor2D), [rows], { coords: 12, h: 1e-3 });
      rows.dispose();
    }
  });

  it('are finite (0, not NaN) at a zero row (Lp) and at coincident centers (sparse centers)', () => {
    const grad = (reg: Regularizer, rows: number[][]) =>
      tf.tidy(() =>
        Array.from(
          tf
            .grad((x: tf.Tensor) => reg.compute(x as tf.Tensor2D))(tf.tensor2d(rows))
            .dataSync(),
        ),
      );
    const zeroRow = [
      [0, 0, 0],
      [1, 2, 3],
    ];
    for (const reg of [new LpRegularizer(), new LpRegularizer({ p: 3 })]) {
      const g = grad(reg, zeroRow);
      expect(
        g.slice(0, 3).every((v) => v === 0),
        reg.type,
      ).toBe(true);
      expect(g.every(Number.isFinite), reg.type).toBe(true);
    }
    // Centers 0 and 1 coincide exactly (D = 0 after the cosine divergence's clamp), centers 2 and 3 nearly.
    const coincident = [
      [1, 0, 0],
      [1, 0, 0],
      [1, 2, 3],
      [2, 4, 6],
    ];
    const g = grad(new SparseCentersRegularizer({ numClasses: 2, centersPerClass: 2 }), coincident);
    expect(g.every(Number.isFinite)).toBe(true);
  });
});

describe('attached to a loss', () => {
  const X = [
    [0.3, 0.1],
    [0.2, -0.4],
    [-0.5, 0.6],
    [0.1, 0.9],
  ];
  const LABELS = [0, 0, 1, 1];
  const W = [
    [1, 0.2],
    [-0.3, 1],
  ];
  const sq = new SquaredEuclideanDivergence();
  const lossValue = (f: (x: tf.Tensor2D) => tf.Scalar) => tf.tidy(() => f(tf.tensor2d(X)).dataSync()[0] as number);

  it('embeddingRegularizer on any loss: the loss plus weight × the penalty of the embeddings', () => {
    const plain = new TripletMarginLoss({ divergence: sq, margin: 0.5, scale: 'none' });
    const reg = new TripletMarginLoss({
      divergence: sq,
      margin: 0.5,
      scale: 'none',
      embeddingRegularizer: new LpRegularizer({ power: 2 }),
      embeddingRegWeight: 0.1,
    });
    // Σ‖x‖² / 4 = (0.1 + 0.2 + 0.61 + 0.82) / 4.
    const penalty = 1.73 / 4;
    const base = lossValue((x) => plain.compute(x, LABELS));
    expect(lossValue((x) => reg.compute(x, LABELS))).toBeCloseTo(base + 0.1 * penalty, 5);
    expect(reg.lastStats?.loss).toBeCloseTo(base + 0.1 * penalty, 5);
    expect(reg.embeddingRegWeight).toBe(0.1);
    plain.dispose();
    reg.dispose();
  });

  it('weightRegularizer on a loss with weights: plus weight × the penalty of its proxies (default weight 1)', () => {
    const plain = new ProxyNCALoss({ divergence: sq, numClasses: 2, initialProxies: W, embeddingDim: 2 });
    const reg = new ProxyNCALoss({
      divergence: sq,
      numClasses: 2,
      initialProxies: W,
      embeddingDim: 2,
      weightRegularizer: new CenterInvariantRegularizer(),
    });
    // ‖w‖² = 1.04, 1.09: deviations ∓0.025 → mean of 0.025²/4.
    expect(lossValue((x) => reg.compute(x, LABELS))).toBeCloseTo(
      lossValue((x) => plain.compute(x, LABELS)) + 0.025 ** 2 / 4,
      6,
    );
    plain.dispose();
    reg.dispose();
  });

  it('SoftTriple + SparseCentersRegularizer (the paper objective) trains: the penalty has gradients w.r.t. the centers', () => {
    const centers = [
      [1, 0],
      [0.8, 0.6],
      [0, 1],
      [-0.6, 0.8],
    ];
    const loss = new SoftTripleLoss({
      numClasses: 2,
      embeddingDim: 2,
      centersPerClass: 2,
      initialProxies: centers,
      weightRegularizer: new SparseCentersRegularizer({ numClasses: 2, centersPerClass: 2 }),
      weightRegWeight: 0.5,
    });
    const x = tf.variable(tf.tensor2d(X));
    expectGradientsMatchFiniteDifferences(
      () => loss.compute(x as tf.Tensor2D, LABELS),
      [x, ...loss.trainableVariables],
      {
        h: 1e-3,
      },
    );
    x.dispose();
    loss.dispose();
  });

  it('a weightRegularizer on a loss without weights is refused at compute; a non-regularizer at construction', () => {
    const loss = new TripletMarginLoss({ weightRegularizer: new LpRegularizer() });
    const x = tf.tensor2d(X);
    expectLossesError(
      () => loss.compute(x, LABELS),
      'INVALID_ARGUMENT',
      /^TripletMarginLoss\.compute: expected a loss with class weights or proxies for weightRegularizer, got a loss without weights$/,
    );
    expectLossesError(
      () => new CosFaceLoss({ numClasses: 2, embeddingDim: 2, embeddingRegularizer: {} as Regularizer }),
      'INVALID_ARGUMENT',
      /^CosFaceLoss: expected embeddingRegularizer to be a Regularizer, got /,
    );
    expectLossesError(
      () => new CosFaceLoss({ numClasses: 2, embeddingDim: 2, weightRegWeight: Number.NaN }),
      'INVALID_ARGUMENT',
      /^CosFaceLoss: expected weightRegWeight to be a finite number, got NaN$/,
    );
    x.dispose();
    loss.dispose();
  });

  it('numTensors is unchanged over training steps with both regularizers attached', () => {
    const emb = tf.variable(tf.tensor2d(X));
    const loss = new CosFaceLoss({
      numClasses: 2,
      embeddingDim: 2,
      embeddingRegularizer: new ZeroMeanRegularizer(),
      weightRegularizer: new RegularFaceRegularizer(),
    });
    const optimizer = tf.train.adam(0.01);
    const step = () =>
      optimizer.minimize(() => loss.compute(emb as tf.Tensor2D, LABELS), false, [emb, ...loss.trainableVariables]);
    step();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 30; i++) step();
    expect(tf.memory().numTensors).toBe(before);
    optimizer.dispose();
    loss.dispose();
    emb.dispose();
  });
});
