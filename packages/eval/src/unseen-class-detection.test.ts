import { describe, expect, it } from 'vitest';
import { centroidUncertainty, fprAtTpr, rocAuc, unseenDetection } from './unseen-class-detection';

describe('rocAuc (ties count ½, as scikit-learn)', () => {
  it('matches hand counts', () => {
    // pairs (3,1) (3,2) (2,1) win, (2,2) ties
    expect(rocAuc([3, 2], [1, 2])).toBe(0.875);
    expect(rocAuc([5, 6], [1, 2, 3])).toBe(1);
    expect(rocAuc([1, 2], [5, 6, 7])).toBe(0);
    // every score tied (a max-affine head's exact zeros): chance
    expect(rocAuc([0, 0], [0, 0, 0])).toBe(0.5);
  });

  it('refuses empty sides and NaN scores', () => {
    expect(() => rocAuc([], [1])).toThrow(/expected non-empty positives/);
    expect(() => rocAuc([1], [Number.NaN])).toThrow(/got NaN at 0/);
  });
});

describe('fprAtTpr', () => {
  it('takes the first threshold reaching the TPR, ties included', () => {
    // t = 3 keeps 3 of 4 positives; negatives ≥ 3: {4.5}
    expect(fprAtTpr([5, 4, 3, 2], [4.5, 1], 0.75)).toBe(0.5);
    // 20 positives 1..20: 95% needs t = 2; negatives ≥ 2: {2, 10}
    expect(
      fprAtTpr(
        Array.from({ length: 20 }, (_, i) => i + 1),
        [0, 1, 2, 10],
      ),
    ).toBe(0.5);
    // all tied: every negative at the threshold counts
    expect(fprAtTpr([1, 1, 1, 1], [1, 0])).toBe(0.5);
  });
});

describe('centroidUncertainty (worked by hand)', () => {
  it('gives the minimum divergence, the maximum posterior and the energy −τ log Σ exp(−D/τ)', () => {
    // One item, D = (1, 3) to two centroids, τ = 2.
    const s = centroidUncertainty([1, 3], 2, { temperature: 2 });
    expect(s.minDivergence[0]).toBe(1);
    expect(s.maxPosterior[0]).toBeCloseTo(1 / (1 + Math.exp(-1)), 12);
    expect(s.energy[0]).toBeCloseTo(-2 * Math.log(Math.exp(-0.5) + Math.exp(-1.5)), 12);
    // Priors move the posterior, not the energy.
    const skewed = centroidUncertainty([1, 3], 2, { temperature: 2, logPriors: [Math.log(0.1), Math.log(0.9)] });
    expect(skewed.maxPosterior[0]).toBeCloseTo(
      Math.max(0.1 * Math.exp(-0.5), 0.9 * Math.exp(-1.5)) / (0.1 * Math.exp(-0.5) + 0.9 * Math.exp(-1.5)),
      12,
    );
    expect(skewed.energy[0]).toBe(s.energy[0]);
  });

  it('stays finite for divergences far beyond exp’s range', () => {
    const s = centroidUncertainty([5000, 5001], 2, { temperature: 1 });
    expect(s.energy[0]).toBeCloseTo(5000 - Math.log(1 + Math.exp(-1)), 9);
  });
});

describe('unseenDetection', () => {
  it('AUROC of unseen over seen, and the unseen fraction kept at 95% of the seen', () => {
    expect(unseenDetection([0.1, 0.2], [0.9, 0.15])).toEqual({ auroc: 0.75, fprAtTpr95: 0.5 });
    // Perfect separation.
    expect(unseenDetection([1, 2, 3], [4, 5])).toEqual({ auroc: 1, fprAtTpr95: 0 });
    // 20 seen scores 1..20: keeping 95% (19) needs the threshold at 19 (seen-ness −19); unseen at 18 and 25 → 18 is
    // kept as seen.
    expect(
      unseenDetection(
        Array.from({ length: 20 }, (_, i) => i + 1),
        [18, 25],
      ).fprAtTpr95,
    ).toBe(0.5);
  });
});
