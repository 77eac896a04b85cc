import { describe, expect, it } from 'vitest';
import { headLearningRate } from './head-learning-rate';

describe('headLearningRate', () => {
  it('constant keeps η; warmup-cosine warms up linearly over 10% of the steps, then decays to 0 along a cosine', () => {
    expect(headLearningRate('constant', 0.01, 57, 100)).toBe(0.01);
    // T = 100, W = 10. t = 0: 0.01 · 1/10 · ½(1 + cos 0) = 0.001.
    expect(headLearningRate('warmup-cosine', 0.01, 0, 100)).toBeCloseTo(0.001, 12);
    // t = 4: 0.01 · 5/10 · ½(1 + cos(0.04π)) = 0.005 · 0.996057 = 0.00498029.
    expect(headLearningRate('warmup-cosine', 0.01, 4, 100)).toBeCloseTo(0.00498029, 8);
    // t = 50 (past warm-up): 0.01 · ½(1 + cos(π/2)) = 0.005; t = 100: 0; beyond T it stays 0.
    expect(headLearningRate('warmup-cosine', 0.01, 50, 100)).toBeCloseTo(0.005, 12);
    expect(headLearningRate('warmup-cosine', 0.01, 100, 100)).toBeCloseTo(0, 12);
    expect(headLearningRate('warmup-cosine', 0.01, 130, 100)).toBeCloseTo(0, 12);
    // A 3-step run: W = ⌈0.3⌉ = 1 (no warm-up to speak of); t = 1: 0.01 · ½(1 + cos(π/3)) = 0.0075.
    expect(headLearningRate('warmup-cosine', 0.01, 1, 3)).toBeCloseTo(0.0075, 12);
  });
});
