import { describe, expect, it } from 'vitest';
import { clusteringMetrics } from './clustering-metrics';
import { EvaluationError } from './evaluation-error';
import {
  adjustedMutualInformation,
  expectedMutualInformation,
  normalizedMutualInformation,
} from './mutual-information';
import { purity } from './purity';
import { adjustedRandIndex, randIndex } from './rand-index';

// U = 0 0 0 1 1 1, V = 0 0 1 1 2 2: n₀₀ = 2, n₀₁ = 1, n₁₁ = 1, n₁₂ = 2; a = (3, 3), b = (2, 2, 2), N = 6.
const U = new Int32Array([0, 0, 0, 1, 1, 1]);
const V = new Int32Array([0, 0, 1, 1, 2, 2]);
const ln2 = Math.log(2);
const ln6 = Math.log(6);

/** MI of two labelings from the definition, in float64 (a reference independent of the contingency code). */
function miByDefinition(u: number[], v: number[]): number {
  const n = u.length;
  let mi = 0;
  for (const x of new Set(u)) {
    for (const y of new Set(v)) {
      let nij = 0;
      for (let t = 0; t < n; t++) if (u[t] === x && v[t] === y) nij++;
      if (nij === 0) continue;
      const a = u.filter((z) => z === x).length;
      const b = v.filter((z) => z === y).length;
      mi += (nij / n) * Math.log((n * nij) / (a * b));
    }
  }
  return mi;
}

function permutations(items: number[]): number[][] {
  if (items.length <= 1) return [items];
  const out: number[][] = [];
  items.forEach((x, i) => {
    for (const rest of permutations([...items.slice(0, i), ...items.slice(i + 1)])) out.push([x, ...rest]);
  });
  return out;
}

describe('clustering metrics on a hand-computed fixture', () => {
  it('NMI = MI / mean(H(U), H(V)) with MI = (2/3) ln 2, H(U) = ln 2, H(V) = ln 3', () => {
    expect(normalizedMutualInformation(U, V)).toBeCloseTo(((2 / 3) * ln2) / (ln6 / 2), 12);
  });

  it('AMI with E[MI] = 6 · (1/5)(1/3) ln 2 = (2/5) ln 2', () => {
    expect(expectedMutualInformation(new Float64Array([3, 3]), new Float64Array([2, 2, 2]), 6)).toBeCloseTo(
      (2 / 5) * ln2,
      12,
    );
    expect(adjustedMutualInformation(U, V)).toBeCloseTo(((4 / 15) * ln2) / (ln6 / 2 - (2 / 5) * ln2), 12);
  });

  it('E[MI] equals the average MI over every permutation of the clustering (its definition)', () => {
    const u = [0, 0, 0, 1, 1, 2];
    const v = [0, 0, 1, 1, 1, 1];
    const all = permutations([0, 1, 2, 3, 4, 5]);
    let mean = 0;
    for (const p of all)
      mean +=
        miByDefinition(
          u,
          p.map((t) => v[t]),
        ) / all.length;
    expect(expectedMutualInformation(new Float64Array([3, 2, 1]), new Float64Array([2, 4]), 6)).toBeCloseTo(mean, 12);
  });

  it('ARI = (2 − 6·3/15) / (4.5 − 6·3/15) = 8/33, RI = 10/15, purity = 5/6', () => {
    expect(adjustedRandIndex(U, V)).toBeCloseTo(8 / 33, 12);
    expect(randIndex(U, V)).toBeCloseTo(2 / 3, 12);
    expect(purity(U, V)).toBeCloseTo(5 / 6, 12);
  });

  it('ARI of 0 0 1 1 vs 0 0 1 2 is (1 − 2·1/6) / (1.5 − 1/3) = 4/7', () => {
    expect(adjustedRandIndex(new Int32Array([0, 0, 1, 1]), new Int32Array([0, 0, 1, 2]))).toBeCloseTo(4 / 7, 12);
  });

  it('identical partitions up to renaming score 1; a trivial clustering scores 0', () => {
    const m = clusteringMetrics(U, new Int32Array([7, 7, 7, -3, -3, -3]));
    expect(m.nmi).toBeCloseTo(1, 12);
    expect(m.ami).toBeCloseTo(1, 12);
    expect(m.ari).toBeCloseTo(1, 12);
    expect(m.randIndex).toBe(1);
    expect(m.purity).toBe(1);
    const all = new Int32Array([0, 0, 0, 0]);
    const each = new Int32Array([0, 1, 2, 3]);
    expect(normalizedMutualInformation(all, each)).toBe(0);
    expect(adjustedMutualInformation(all, each)).toBe(0);
    expect(adjustedRandIndex(all, each)).toBe(0);
    expect(normalizedMutualInformation(all, all)).toBe(1);
    expect(adjustedMutualInformation(all, all)).toBe(1);
  });

  it('AMI and NMI are symmetric', () => {
    expect(adjustedMutualInformation(V, U)).toBeCloseTo(adjustedMutualInformation(U, V), 12);
    expect(normalizedMutualInformation(V, U)).toBeCloseTo(normalizedMutualInformation(U, V), 12);
  });

  it('rejects mismatched lengths and empty inputs', () => {
    expect(() => clusteringMetrics(U, new Int32Array([0, 1]))).toThrow(EvaluationError);
    expect(() => clusteringMetrics(new Int32Array(0), new Int32Array(0))).toThrow(/non-empty/);
  });
});
