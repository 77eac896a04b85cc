import * as tf from '@tensorflow/tfjs-core';
import { BregmanDivergence, EuclideanDivergence, SquaredEuclideanDivergence } from '@empirical-bregman/bregman-core';
import { ExponentialSum } from '@empirical-bregman/convex-net';
import { afterAll, describe, expect, it } from 'vitest';
import {
  AngularMiner,
  BatchHardMiner,
  disposeIndices,
  HDCMiner,
  type IndicesTuple,
  UniformHistogramMiner,
} from '../index';
import { expectLossesError } from '../testing/expect-losses-error';
import { type Matrix, sqDist } from '../testing/float64';

// Expected selections: each miner's rule (PML's) evaluated in float64 loops over the fixture, never the code under
// test.

const sq = new SquaredEuclideanDivergence();
const euclid = new EuclideanDivergence();
const expDiv = new BregmanDivergence(new ExponentialSum({ dim: 1 }));
afterAll(() => expDiv.dispose());

const X: Matrix = [
  [0.1, 0.2],
  [0.4, -0.3],
  [-0.5, 0.6],
  [0.9, 0.1],
  [-0.2, -0.8],
  [0.3, 0.7],
  [0.0, 0.35],
];
const LABELS = [0, 0, 1, 1, 2, 2, 0];

function read(t: IndicesTuple): number[][] {
  const out = t.kind === 'triplets' ? [t.a, t.p, t.n] : [t.a1, t.p, t.a2, t.n];
  const arrays = out.map((x) => Array.from(x.dataSync()));
  disposeIndices(t);
  return arrays;
}
function mine(miner: { mine(e: tf.Tensor2D, l: number[]): IndicesTuple }, x: Matrix = X, labels = LABELS): number[][] {
  const e = tf.tensor2d(x);
  const out = read(miner.mine(e, labels));
  e.dispose();
  return out;
}
const keys = (a: number[], b: number[], c?: number[]) => a.map((v, k) => [v, b[k], ...(c ? [c[k]] : [])].join(','));

describe('AngularMiner', () => {
  /** PML's rule: arctan(‖a − p‖ / (2‖n − c‖)) > α, c = (a + p)/2, over a length function. */
  function angularRef(x: Matrix, labels: number[], angleDeg: number, len: (u: number[], v: number[]) => number) {
    const out: string[] = [];
    x.forEach((a, i) => {
      x.forEach((p, j) => {
        if (i === j || labels[i] !== labels[j]) return;
        const c = a.map((v, k) => (v + (p[k] as number)) / 2);
        x.forEach((n, k) => {
          if (labels[k] === labels[i]) return;
          if (Math.atan(len(a, p) / (2 * len(c, n))) > (angleDeg * Math.PI) / 180) out.push(`${i},${j},${k}`);
        });
      });
    });
    return out;
  }
  const euclidean = (u: number[], v: number[]) => Math.sqrt(sqDist(u, v));

  it("PML's rule with Euclidean lengths: the same triplets from squared Euclidean (√D) and Euclidean (D)", () => {
    for (const angle of [20, 35]) {
      const expected = angularRef(X, LABELS, angle, euclidean);
      expect(expected.length).toBeGreaterThan(0);
      const [a, p, n] = mine(new AngularMiner({ divergence: sq, angle }));
      expect(keys(a!, p!, n!)).toEqual(expected);
      const [a2, p2, n2] = mine(new AngularMiner({ divergence: euclid, angle }));
      expect(keys(a2!, p2!, n2!)).toEqual(expected);
    }
    expect(new AngularMiner().angle).toBe(20);
  });

  it('in chunks of anchors: the same triplets, a lower peak memory, and no tensor left behind', async () => {
    const expected = angularRef(X, LABELS, 20, euclidean);
    const whole = new AngularMiner({ divergence: sq });
    // m = 7: 49 candidates per anchor, so 60 gives one anchor per chunk (7 chunks).
    const chunked = new AngularMiner({ divergence: sq, chunkCandidates: 60 });
    const [a, p, n] = mine(chunked);
    expect(keys(a!, p!, n!)).toEqual(expected);
    // Peak memory on 40 points (40³ = 64,000 candidates): one anchor per chunk (1,600) against all at once.
    const big: Matrix = Array.from({ length: 40 }, (_, i) => [Math.sin(i * 1.7), Math.cos(i * 2.3)]);
    const bigLabels = big.map((_, i) => i % 4);
    const e = tf.tensor2d(big);
    const small = new AngularMiner({ divergence: sq, chunkCandidates: 1600 });
    const same = (miner: AngularMiner) => mine(miner, big, bigLabels);
    expect(same(small)).toEqual(same(whole));
    const before = tf.memory().numTensors;
    const peak = async (miner: AngularMiner) =>
      (
        await tf.profile(() => {
          disposeIndices(miner.mine(e, bigLabels));
        })
      ).peakBytes;
    const wholePeak = await peak(whole);
    const chunkPeak = await peak(small);
    // The centre-to-reference block dominates: 40 × smaller per chunk.
    expect(chunkPeak).toBeLessThan(wholePeak / 4);
    expect(tf.memory().numTensors).toBe(before);
    e.dispose();
  });

  it('refuses more than 2³⁰ candidates n·m² before the cubic work, in one line', () => {
    // 1 anchor against 32,769 references: 32,769² > 2³⁰ (a 64-batch against a 65,536 memory would be 2.7·10¹¹).
    const e = tf.tensor2d([[0.5]]);
    const ref = tf.tidy(() => tf.reshape(tf.linspace(-1, 1, 32769), [32769, 1]) as tf.Tensor2D);
    const labels = Array.from({ length: 32769 }, (_, i) => i % 3);
    expect(AngularMiner.MAX_CANDIDATES).toBe(2 ** 30);
    expectLossesError(
      () => new AngularMiner({ divergence: sq }).mine(e, [0], ref, labels),
      'INVALID_ARGUMENT',
      /^AngularMiner\.mine: expected at most 1073741824 candidates n·m² \(anchors × references²\), got 1·32769² = 1073807361$/,
    );
    tf.dispose([e, ref]);
  });

  it('a Bregman divergence: lengths √D with the centre in the anchor slot, D(c, n)', () => {
    const xs = [[0], [-1.5], [1.2], [-1], [0.8], [2]];
    const labels = [0, 0, 0, 1, 1, 1];
    const D = (u: number[], v: number[]) => {
      const [x, y] = [u[0] as number, v[0] as number];
      return Math.exp(x) - Math.exp(y) - Math.exp(y) * (x - y);
    };
    const expected = angularRef(xs, labels, 30, (u, v) => Math.sqrt(D(u, v)));
    expect(expected.length).toBeGreaterThan(0);
    const [a, p, n] = mine(new AngularMiner({ divergence: expDiv, angle: 30 }), xs, labels);
    expect(keys(a!, p!, n!)).toEqual(expected);
  });
});

describe('HDCMiner', () => {
  it('the ⌈f·|P|⌉ farthest positive pairs and ⌈f·|N|⌉ nearest negative pairs of the batch, hardest first', () => {
    const d = X.map((u) => X.map((v) => sqDist(u, v)));
    const pos: [number, number][] = [];
    const neg: [number, number][] = [];
    LABELS.forEach((a, i) => {
      LABELS.forEach((b, j) => {
        if (i !== j && a === b) pos.push([i, j]);
        if (a !== b) neg.push([i, j]);
      });
    });
    const at = ([i, j]: [number, number]) => (d[i] as number[])[j] as number;
    for (const f of [0.5, 0.3]) {
      const hardPos = [...pos].sort((u, v) => at(v) - at(u)).slice(0, Math.ceil(f * pos.length));
      const hardNeg = [...neg].sort((u, v) => at(u) - at(v)).slice(0, Math.ceil(f * neg.length));
      const [a1, p, a2, n] = mine(new HDCMiner({ divergence: sq, filterPercentage: f }));
      // Compared by value, hardest first: D(i, j) = D(j, i) ties may be broken either way in float32.
      const got = (as: number[], bs: number[]) => as.map((i, k) => at([i, bs[k] as number]));
      expect(a1!.length).toBe(hardPos.length);
      expect(a2!.length).toBe(hardNeg.length);
      got(a1!, p!).forEach((v, k) => {
        expect(v).toBeCloseTo(at(hardPos[k]!), 5);
      });
      got(a2!, n!).forEach((v, k) => {
        expect(v).toBeCloseTo(at(hardNeg[k]!), 5);
      });
      a1!.forEach((i, k) => {
        expect(LABELS[i] === LABELS[p![k]!] && i !== p![k]).toBe(true);
      });
      a2!.forEach((i, k) => {
        expect(LABELS[i] !== LABELS[n![k]!]).toBe(true);
      });
    }
    expect(() => new HDCMiner({ filterPercentage: 0 })).toThrow(
      /HDCMiner: expected filterPercentage in \(0, 1\], got 0/,
    );
  });
});

describe('UniformHistogramMiner', () => {
  it('draws perBin pairs in every non-empty bin of the [min, max] range, so a lone outlier bin gets as many', () => {
    // 1-D: class 0 at 0, 0.1, 0.2, 0.3 and 5; class 1 at 10, 10.1. Positive D: many small, a few ≈ 22-25 (to 5).
    const x = [[0], [0.1], [0.2], [0.3], [5], [10], [10.1]];
    const labels = [0, 0, 0, 0, 0, 1, 1];
    const d = x.map((u) => x.map((v) => sqDist(u, v)));
    const pairs = (same: boolean) => {
      const out: number[] = [];
      labels.forEach((a, i) => {
        labels.forEach((b, j) => {
          if ((same && i !== j && a === b) || (!same && a !== b)) out.push((d[i] as number[])[j] as number);
        });
      });
      return out;
    };
    const binOf = (values: number[], v: number, bins: number) => {
      const lo = Math.min(...values);
      const hi = Math.max(...values);
      return Math.min(Math.floor(((v - lo) / (hi - lo)) * bins), bins - 1);
    };
    const bins = 4;
    const miner = new UniformHistogramMiner({
      divergence: sq,
      scale: 'none',
      numBins: bins,
      posPerBin: 3,
      negPerBin: 2,
      seed: 5,
    });
    const [a1, p, a2, n] = mine(miner, x, labels);
    for (const [same, as, bs, per] of [
      [true, a1!, p!, 3],
      [false, a2!, n!, 2],
    ] as const) {
      const values = pairs(same);
      const nonEmpty = new Set(values.map((v) => binOf(values, v, bins)));
      expect(as.length).toBe(per * nonEmpty.size);
      const counts = new Map<number, number>();
      as.forEach((i, k) => {
        const j = bs[k] as number;
        expect(labels[i] === labels[j] && i !== j).toBe(same);
        const b = binOf(values, (d[i] as number[])[j] as number, bins);
        counts.set(b, (counts.get(b) ?? 0) + 1);
      });
      expect([...counts.values()].every((c) => c === per)).toBe(true);
      expect(new Set(counts.keys())).toEqual(nonEmpty);
    }
    // Seeded: the same seed draws the same pairs.
    const again = mine(
      new UniformHistogramMiner({ divergence: sq, scale: 'none', numBins: bins, posPerBin: 3, negPerBin: 2, seed: 5 }),
      x,
      labels,
    );
    expect(again).toEqual([a1, p, a2, n]);
    expect(new UniformHistogramMiner().numBins).toBe(100);
  });
});

describe('refStartsWithEmbeddings (a memory bank holding the batch at its head)', () => {
  it('excludes the self pairs (i, i) of the head, keeps the copies further down', () => {
    const e = tf.tensor2d(X);
    const ref = tf.concat([e, e]) as tf.Tensor2D;
    const labels2 = [...LABELS, ...LABELS];
    const [a, p] = read(
      new BatchHardMiner({ divergence: sq }).mine(e, LABELS, ref, labels2, { refStartsWithEmbeddings: true }),
    );
    // Farthest positive: never the anchor itself (D = 0); its copy at i + 7 is as near, so never chosen either.
    a!.forEach((i, k) => {
      expect(p![k] === i).toBe(false);
    });
    const [a0, p0] = read(new BatchHardMiner({ divergence: sq }).mine(e, LABELS, ref, labels2));
    expect(a0!.length).toBe(7);
    expect(p0).toEqual(p); // the farthest positive is far from self anyway
    expect(() => new HDCMiner().mine(ref, labels2, e, LABELS, { refStartsWithEmbeddings: true })).toThrow(
      /expected at least 14 refEmbeddings rows with refStartsWithEmbeddings, got 7/,
    );
    tf.dispose([e, ref]);
  });
});
