import { describe, expect, it } from 'vitest';
import { EvaluationError } from './evaluation-error';
import { resolveK } from './resolve-k';
import { retrievalMetrics } from './retrieval-metrics';

const lists = (rows: number[][]) => ({
  numQueries: rows.length,
  k: rows[0].length,
  indices: Int32Array.from(rows.flat()),
});

describe('retrievalMetrics: separate query and reference sets', () => {
  // References: labels 0 0 0 1 1 2. Queries: labels 0, 1, 3 (label 3 is absent from the references: lone).
  const referenceLabels = new Int32Array([0, 0, 0, 1, 1, 2]);
  const queryLabels = new Int32Array([0, 1, 3]);
  // q0 (y=0, R=3): labels 1 0 0 → rel 0 1 1.  q1 (y=1, R=2): labels 1 2 1 → rel 1 0 1.  q2: lone.
  const neighbours = lists([
    [3, 0, 1],
    [4, 5, 3],
    [5, 0, 3],
  ]);
  const m = retrievalMetrics(neighbours, queryLabels, referenceLabels, { knnVotes: 3 });

  it('computes each metric from its definition', () => {
    // precision@1: q0 0, q1 1.
    expect(m.precisionAt1).toBeCloseTo(1 / 2, 12);
    // R-precision: q0 2/3, q1 1/2.
    expect(m.rPrecision).toBeCloseTo((2 / 3 + 1 / 2) / 2, 12);
    // AP@R: q0 (1/3)(1/2 + 2/3) = 7/18; q1 (1/2)(1) = 1/2.
    expect(m.mapAtR).toBeCloseTo((7 / 18 + 1 / 2) / 2, 12);
    // AP over k: q0 (1/2 + 2/3)/2 = 7/12; q1 (1 + 2/3)/2 = 5/6.
    expect(m.meanAveragePrecision).toBeCloseTo((7 / 12 + 5 / 6) / 2, 12);
    // RR: q0 1/2, q1 1.
    expect(m.meanReciprocalRank).toBeCloseTo(3 / 4, 12);
    expect(m.recallAtK?.[1]).toBeCloseTo(1 / 2, 12);
    expect(m.recallAtK?.[2]).toBeCloseTo(1, 12);
    expect(Object.keys(m.recallAtK ?? {})).toEqual(['1', '2']);
  });

  it('leaves lone-label queries out of retrieval metrics but not out of kNN accuracy', () => {
    expect(m.numEvaluatedQueries).toBe(2);
    expect(m.numLoneQueries).toBe(1);
    // Votes: q0 (1, 0, 0) → 0 ✓; q1 (1, 2, 1) → 1 ✓; q2 (2, 0, 1) three-way tie → nearest 2 ✗ (label 3).
    expect(m.knnAccuracy).toBeCloseTo(2 / 3, 12);
    expect(m.warnings).toEqual([]);
  });

  it('is 0 with a warning when every query is lone (PML convention)', () => {
    const all = retrievalMetrics(lists([[0, 1]]), new Int32Array([9]), referenceLabels);
    expect(all.precisionAt1).toBe(0);
    expect(all.mapAtR).toBe(0);
    expect(all.numEvaluatedQueries).toBe(0);
    expect(all.warnings.length).toBe(1);
  });

  it('warns when k < R makes R-precision and MAP@R truncated', () => {
    const short = retrievalMetrics(lists([[0], [3], [5]]), queryLabels, referenceLabels);
    // Truncated as PML: R' = min(R, k) = 1 → q0 rel₁ = 1 → 1; q1 rel₁ = 1 → 1.
    expect(short.rPrecision).toBeCloseTo(1, 12);
    expect(short.warnings[0]).toMatch(/k ≥ R/);
  });
});

describe('retrievalMetrics: references include the queries (self-match excluded), avgOfAvgs', () => {
  const labels = new Int32Array([0, 0, 0, 1, 1, 2]);
  // Neighbour lists exclude the query itself. R: label 0 → 2, label 1 → 1, label 2 → 0 (q5 is lone).
  const neighbours = lists([
    [1, 3], // q0 y0: rel 1 0
    [3, 4], // q1 y0: rel 0 0
    [0, 1], // q2 y0: rel 1 1
    [4, 0], // q3 y1: rel 1 0
    [0, 3], // q4 y1: rel 0 1
    [0, 1], // q5 y2: lone
  ]);
  const options = { referenceIncludesQueries: true, knnVotes: 2 } as const;

  it('plain means over the five non-lone queries', () => {
    const m = retrievalMetrics(neighbours, labels, labels, options);
    expect(m.numLoneQueries).toBe(1);
    expect(m.precisionAt1).toBeCloseTo(3 / 5, 12);
    // R-precision: 1/2, 0, 1, 1 (R=1), 0 (R=1).
    expect(m.rPrecision).toBeCloseTo(2.5 / 5, 12);
    // AP@R: 1/2, 0, 1, 1, 0.
    expect(m.mapAtR).toBeCloseTo(2.5 / 5, 12);
    // AP over k=2: 1, 0, 1, 1, (1/2)/1.
    expect(m.meanAveragePrecision).toBeCloseTo(3.5 / 5, 12);
    // RR: 1, 0, 1, 1, 1/2.
    expect(m.meanReciprocalRank).toBeCloseTo(3.5 / 5, 12);
    expect(m.recallAtK?.[1]).toBeCloseTo(3 / 5, 12);
    expect(m.recallAtK?.[2]).toBeCloseTo(4 / 5, 12);
    // Votes of 2: q0 (0,1) tie → 0 ✓; q1 (1,1) ✗; q2 ✓; q3 (1,0) tie → 1 ✓; q4 (0,1) tie → 0 ✗; q5 ✗.
    expect(m.knnAccuracy).toBeCloseTo(3 / 6, 12);
  });

  it('avgOfAvgs averages within each label first', () => {
    const m = retrievalMetrics(neighbours, labels, labels, { ...options, avgOfAvgs: true });
    expect(m.precisionAt1).toBeCloseTo((2 / 3 + 1 / 2) / 2, 12);
    expect(m.rPrecision).toBeCloseTo((1.5 / 3 + 1 / 2) / 2, 12);
    expect(m.mapAtR).toBeCloseTo((1.5 / 3 + 1 / 2) / 2, 12);
    expect(m.meanAveragePrecision).toBeCloseTo((2 / 3 + 3 / 4) / 2, 12);
    expect(m.meanReciprocalRank).toBeCloseTo((2 / 3 + 3 / 4) / 2, 12);
    expect(m.recallAtK?.[1]).toBeCloseTo((2 / 3 + 1 / 2) / 2, 12);
    expect(m.recallAtK?.[2]).toBeCloseTo((2 / 3 + 1) / 2, 12);
    // kNN accuracy per label: label 0 2/3, label 1 1/2, label 2 0.
    expect(m.knnAccuracy).toBeCloseTo((2 / 3 + 1 / 2 + 0) / 3, 12);
  });

  it('include selects metrics', () => {
    const m = retrievalMetrics(neighbours, labels, labels, { ...options, include: ['mapAtR'] });
    expect(m.mapAtR).toBeDefined();
    expect(m.precisionAt1).toBeUndefined();
  });
});

describe('retrievalMetrics: errors', () => {
  const labels = new Int32Array([0, 1]);
  it('rejects mismatched lengths, bad indices, bad K', () => {
    expect(() => retrievalMetrics(lists([[1]]), labels, labels)).toThrow(EvaluationError);
    expect(() => retrievalMetrics(lists([[1], [0]]), labels, new Int32Array([0]))).toThrow(/indices in \[0, 1\)/);
    expect(() => retrievalMetrics(lists([[1], [0]]), labels, labels, { recallAt: [2] })).toThrow(/recallAt/);
    expect(() => retrievalMetrics(lists([[1], [0]]), labels, new Int32Array(0))).toThrow(/non-empty/);
    expect(() => retrievalMetrics(lists([[1], [0]]), [0, 1] as unknown as Int32Array, labels)).toThrow(/Int32Array/);
  });
});

describe('resolveK', () => {
  const referenceLabels = new Int32Array([0, 0, 0, 1, 1, 2]);
  it("'max_bin_count' is the largest label count among the query labels (minus the self-match)", () => {
    expect(resolveK('max_bin_count', new Int32Array([1, 3]), referenceLabels)).toBe(2);
    expect(resolveK('max_bin_count', new Int32Array([0, 1, 3]), referenceLabels)).toBe(3);
    expect(resolveK('max_bin_count', referenceLabels, referenceLabels, true)).toBe(2);
    expect(resolveK('all', referenceLabels, referenceLabels, true)).toBe(5);
    expect(resolveK(4, referenceLabels, referenceLabels)).toBe(4);
  });
  it('rejects k larger than the reference set', () => {
    expect(() => resolveK(6, referenceLabels, referenceLabels, true)).toThrow(/k ≤ 5/);
    expect(() => resolveK(0, referenceLabels, referenceLabels)).toThrow(EvaluationError);
  });
});
