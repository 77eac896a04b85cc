import { describe, expect, it } from 'vitest';
import { chooseThreshold } from './choose-threshold';

// Hand-computed fixture (sorted by D; the two pairs at 0.3 are a tie, listed same-class first on purpose):
//   D     0.1  0.2  0.3  0.3  0.4  0.5  0.6  0.7
//   same  yes  yes  yes  no   yes  no   no   yes
// At each distinct t, accepted = pairs with D ≤ t, precision = same / accepted (5 same-class pairs in all):
//   t = 0.1: 1/1 = 1     t = 0.2: 2/2 = 1     t = 0.3: 3/4 = 0.75     t = 0.4: 4/5 = 0.8
//   t = 0.5: 4/6 ≈ 0.667 t = 0.6: 4/7 ≈ 0.571 t = 0.7: 5/8 = 0.625
const pairs = [
  { divergence: 0.5, same: false },
  { divergence: 0.1, same: true },
  { divergence: 0.3, same: true },
  { divergence: 0.3, same: false },
  { divergence: 0.7, same: true },
  { divergence: 0.2, same: true },
  { divergence: 0.6, same: false },
  { divergence: 0.4, same: true },
];

describe('chooseThreshold', () => {
  it('returns the largest threshold whose precision reaches the target (precision is not monotone)', () => {
    // 0.3 misses 0.8 but 0.4 meets it: the largest t that meets the target, not the end of the first run.
    expect(chooseThreshold(pairs, { targetPrecision: 0.8 })).toEqual({
      threshold: 0.4,
      precision: 0.8,
      recall: 0.8,
      accepted: 5,
    });
    expect(chooseThreshold(pairs, { targetPrecision: 0.75 })?.threshold).toBe(0.4);
    expect(chooseThreshold(pairs, { targetPrecision: 0.6 })).toEqual({
      threshold: 0.7,
      precision: 0.625,
      recall: 1,
      accepted: 8,
    });
    expect(chooseThreshold(pairs, { targetPrecision: 0 })?.threshold).toBe(0.7);
  });

  it('accepts tied pairs together: the same-class pair at 0.3 alone would reach precision 1, the tie does not', () => {
    expect(chooseThreshold(pairs, { targetPrecision: 1 })).toEqual({
      threshold: 0.2,
      precision: 1,
      recall: 0.4,
      accepted: 2,
    });
    expect(chooseThreshold(pairs, { targetPrecision: 0.9 })?.threshold).toBe(0.2);
  });

  it('null when nothing reaches the target, and for no pairs', () => {
    expect(
      chooseThreshold(
        [
          { divergence: 0.1, same: false },
          { divergence: 0.2, same: true },
        ],
        { targetPrecision: 0.6 },
      ),
    ).toBeNull();
    expect(chooseThreshold([], { targetPrecision: 0.9 })).toBeNull();
  });

  it('refuses a target outside [0, 1] and pairs that are not { divergence, same }', () => {
    expect(() => chooseThreshold(pairs, { targetPrecision: 1.5 })).toThrow(/targetPrecision in \[0, 1\], got 1.5/);
    expect(() => chooseThreshold([{ divergence: Number.NaN, same: true }], { targetPrecision: 0.5 })).toThrow(
      /pairs\[0\]/,
    );
  });
});
