import { describe, expect, it } from 'vitest';
import { knnVote } from './knn-vote';

const classes = Int32Array.from([1, 2, 7]);

describe('knnVote', () => {
  it('uniform: shares of the vote; ties go to the class voted first (nearest)', () => {
    const labels = Int32Array.from([2, 1, 1, 2, /* row 2 */ 1, 7, 7, 1, /* row 3 */ 7, 2, 2, 2]);
    const votes = knnVote('test', labels, new Float32Array(12), 4, classes, 'uniform');
    expect(Array.from(votes.labels)).toEqual([2, 1, 2]);
    expect(Array.from(votes.scores)).toEqual([0.5, 0.5, 0, 0.5, 0, 0.5, 0, 0.75, 0.25]);
  });

  it('weighted by a function of divergence and rank', () => {
    const labels = Int32Array.from([1, 2, 2]);
    const divergences = Float32Array.from([0.1, 1, 1]);
    const votes = knnVote('test', labels, divergences, 3, classes, (d) => 1 / d);
    // class 1: 10, class 2: 1 + 1 = 2 → 10/12 and 2/12.
    expect(votes.labels[0]).toBe(1);
    expect(votes.scores[0]).toBeCloseTo(10 / 12, 6);
    expect(votes.scores[1]).toBeCloseTo(2 / 12, 6);
    expect(() => knnVote('test', labels, divergences, 3, classes, () => -1)).toThrow(/weights ≥ 0/);
  });

  it('missing neighbours (−1) do not vote; a row with none has label −1 and zero scores', () => {
    const votes = knnVote('test', Int32Array.from([-1, 7, -1, -1]), new Float32Array(4), 2, classes, 'uniform');
    expect(Array.from(votes.labels)).toEqual([7, -1]);
    expect(Array.from(votes.scores)).toEqual([0, 0, 1, 0, 0, 0]);
  });
});
