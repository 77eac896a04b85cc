import * as tf from '@tensorflow/tfjs-core';
import { BregmanDivergence, SquaredEuclideanDivergence } from '@empirical-bregman/bregman-core';
import { ExponentialSum } from '@empirical-bregman/convex-net';
import { afterAll, describe, expect, it } from 'vitest';
import {
  BatchEasyHardMiner,
  BatchHardMiner,
  DistanceWeightedMiner,
  disposeIndices,
  type IndicesTuple,
  MultiSimilarityMiner,
  PairMarginMiner,
  pairsToTriplets,
  TripletMarginMiner,
  tripletsToPairs,
} from '../index';

// Asymmetric fixture: D_φ with φ(x) = e^x (1-D), D(x, y) = e^x − e^y − e^y (x − y).
const expDiv = new BregmanDivergence(new ExponentialSum({ dim: 1 }));
const sq = new SquaredEuclideanDivergence();
afterAll(() => expDiv.dispose());
const xs = [0, -3, 1.2, -2.5, 1.0];
const labels = [0, 0, 0, 1, 1];
const D = (x: number, y: number) => Math.exp(x) - Math.exp(y) - Math.exp(y) * (x - y);

function read(t: IndicesTuple): number[][] {
  const out = t.kind === 'triplets' ? [t.a, t.p, t.n] : [t.a1, t.p, t.a2, t.n];
  const arrays = out.map((x) => Array.from(x.dataSync()));
  disposeIndices(t);
  return arrays;
}
function triplets(t: IndicesTuple): string[] {
  const [a, p, n] = read(t);
  return a!.map((v, k) => `${v},${p![k]},${n![k]}`);
}
const X = () => tf.tensor2d(xs, [5, 1]);

describe('BatchHardMiner under an asymmetric divergence', () => {
  it('anchor 0 in the left slot: farthest positive by D(0, ·) is 1.2, nearest negative −2.5', () => {
    // D(0, −3) = 1 − 4e^{−3} ≈ 0.80, D(0, 1.2) = 1 + 0.2e^{1.2} ≈ 1.66; D(0, −2.5) = 1 − 3.5e^{−2.5} ≈ 0.71, D(0, 1) = 1.
    const x = X();
    const t = triplets(new BatchHardMiner({ divergence: expDiv, scale: 'none' }).mine(x, labels));
    expect(t).toContain('0,2,3');
    // Every anchor against a float64 reference of the rule.
    const expected: string[] = [];
    for (let a = 0; a < 5; a++) {
      let p = -1;
      let n = -1;
      for (let j = 0; j < 5; j++) {
        if (j !== a && labels[j] === labels[a] && (p < 0 || D(xs[a]!, xs[j]!) > D(xs[a]!, xs[p]!))) p = j;
        if (labels[j] !== labels[a] && (n < 0 || D(xs[a]!, xs[j]!) < D(xs[a]!, xs[n]!))) n = j;
      }
      expected.push(`${a},${p},${n}`);
    }
    expect(t).toEqual(expected);
    x.dispose();
  });

  it('anchor 0 in the right slot: D(−3, 0) ≈ 2.05 > D(1.2, 0) ≈ 1.12 and D(1, 0) ≈ 0.72 < D(−2.5, 0) ≈ 1.58', () => {
    const x = X();
    const miner = new BatchHardMiner({ divergence: expDiv, scale: 'none', querySlot: 'right' });
    expect(miner.querySlot).toBe('right');
    const t = triplets(miner.mine(x, labels));
    expect(t[0]).toBe('0,1,4');
    // The deprecated name still works and means the same.
    const old = new BatchHardMiner({ divergence: expDiv, scale: 'none', anchorSlot: 'right' });
    expect(old.querySlot).toBe('right');
    expect(old.anchorSlot).toBe('right');
    expect(triplets(old.mine(x, labels))).toEqual(t);
    x.dispose();
  });

  it('BatchEasyHardMiner picks the nearest positive by D(0, ·): −3', () => {
    const x = X();
    const t = triplets(new BatchEasyHardMiner({ divergence: expDiv, scale: 'none' }).mine(x, labels));
    expect(t[0]).toBe('0,1,3');
    x.dispose();
  });
});

describe('margin miners', () => {
  function reference(keep: (dap: number, dan: number) => boolean): string[] {
    const out: string[] = [];
    for (let a = 0; a < 5; a++)
      for (let p = 0; p < 5; p++)
        for (let n = 0; n < 5; n++)
          if (
            p !== a &&
            labels[p] === labels[a] &&
            labels[n] !== labels[a] &&
            keep(D(xs[a]!, xs[p]!), D(xs[a]!, xs[n]!))
          )
            out.push(`${a},${p},${n}`);
    return out;
  }

  it('TripletMarginMiner all / hard / semihard / easy follow μ = D(a,n) − D(a,p) against m = 0.5', () => {
    const x = X();
    const m = 0.5;
    const mine = (type: 'all' | 'hard' | 'semihard' | 'easy') =>
      triplets(
        new TripletMarginMiner({ divergence: expDiv, scale: 'none', margin: m, typeOfTriplets: type }).mine(x, labels),
      );
    const all = mine('all');
    expect(all).toEqual(reference((p, n) => n - p <= m));
    expect(mine('hard')).toEqual(reference((p, n) => n - p <= 0));
    expect(mine('semihard')).toEqual(reference((p, n) => n - p > 0 && n - p <= m));
    expect(mine('easy')).toEqual(reference((p, n) => n - p > m));
    expect(all.length).toBeGreaterThan(0);
    x.dispose();
  });

  it('PairMarginMiner keeps positives with D > m_pos and negatives with D < m_neg', () => {
    const x = X();
    const [a1, p, a2, n] = read(
      new PairMarginMiner({ divergence: expDiv, scale: 'none', posMargin: 1, negMargin: 1 }).mine(x, labels),
    );
    const pos: string[] = [];
    const neg: string[] = [];
    for (let i = 0; i < 5; i++)
      for (let j = 0; j < 5; j++) {
        const d = D(xs[i]!, xs[j]!);
        if (i !== j && labels[i] === labels[j] && d > 1) pos.push(`${i},${j}`);
        if (labels[i] !== labels[j] && d < 1) neg.push(`${i},${j}`);
      }
    expect(a1!.map((v, k) => `${v},${p![k]}`)).toEqual(pos);
    expect(a2!.map((v, k) => `${v},${n![k]}`)).toEqual(neg);
    x.dispose();
  });

  it('MultiSimilarityMiner: D(a,n) < max_p D(a,p) + ε and D(a,p) > min_n D(a,n) − ε', () => {
    const x = X();
    const eps = 0.1;
    const [a1, p, a2, n] = read(
      new MultiSimilarityMiner({ divergence: expDiv, scale: 'none', epsilon: eps }).mine(x, labels),
    );
    const pos: string[] = [];
    const neg: string[] = [];
    for (let i = 0; i < 5; i++) {
      const dp = [0, 1, 2, 3, 4].filter((j) => j !== i && labels[j] === labels[i]).map((j) => D(xs[i]!, xs[j]!));
      const dn = [0, 1, 2, 3, 4].filter((j) => labels[j] !== labels[i]).map((j) => D(xs[i]!, xs[j]!));
      for (let j = 0; j < 5; j++) {
        const d = D(xs[i]!, xs[j]!);
        if (j !== i && labels[j] === labels[i] && d > Math.min(...dn) - eps) pos.push(`${i},${j}`);
        if (labels[j] !== labels[i] && d < Math.max(...dp) + eps) neg.push(`${i},${j}`);
      }
    }
    expect(a1!.map((v, k) => `${v},${p![k]}`)).toEqual(pos);
    expect(a2!.map((v, k) => `${v},${n![k]}`)).toEqual(neg);
    x.dispose();
  });

  it('DistanceWeightedMiner: one negative per positive pair, closer than the cutoff, reproducible by seed', () => {
    const pts = tf.tensor2d([
      [0.6, 0.8],
      [0.8, 0.6],
      [1, 0],
      [0, 1],
      [-0.6, 0.8],
      [-1, 0],
    ]);
    const lab = [0, 0, 0, 1, 1, 1];
    const run = () =>
      triplets(new DistanceWeightedMiner({ divergence: sq, seed: 3, nonzeroLossCutoff: 1.9 }).mine(pts, lab));
    const t = run();
    expect(t).toEqual(run());
    expect(t.length).toBe(12); // 6 anchors × 2 positives, every anchor has a negative within d < 1.9
    const p = pts.arraySync();
    for (const s of t) {
      const [a, , n] = s.split(',').map(Number) as [number, number, number];
      expect(lab[n]).not.toBe(lab[a]);
      expect(Math.sqrt((p[a]![0]! - p[n]![0]!) ** 2 + (p[a]![1]! - p[n]![1]!) ** 2)).toBeLessThan(1.9);
    }
    pts.dispose();
  });
});

describe('tuples', () => {
  it('pairs ↔ triplets conversions and empty tuples', () => {
    const x = X();
    const t = new BatchHardMiner({ divergence: expDiv }).mine(x, labels);
    const pairs = tripletsToPairs(t as Extract<IndicesTuple, { kind: 'triplets' }>);
    const back = pairsToTriplets(pairs);
    expect(triplets(back).sort()).toEqual(triplets(t).sort());
    disposeIndices(pairs);
    const empty = new BatchHardMiner({ divergence: expDiv }).mine(x, [1, 1, 1, 1, 1]);
    expect(read(empty)).toEqual([[], [], []]);
    x.dispose();
  });
});
