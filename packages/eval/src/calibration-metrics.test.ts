import { describe, expect, it } from 'vitest';
import { calibrationMetrics } from './calibration-metrics';

// Four items, two classes: right at 0.9, wrong at 0.8, right at 0.6, right at 0.7.
const p = Float64Array.of(0.9, 0.1, 0.2, 0.8, 0.6, 0.4, 0.3, 0.7);
const y = Int32Array.of(0, 0, 0, 1);

describe('calibrationMetrics (hand-computed)', () => {
  it('NLL, Brier, accuracy', () => {
    const m = calibrationMetrics({ probabilities: p, numClasses: 2 }, y);
    expect(m.accuracy).toBe(0.75);
    expect(m.nll).toBeCloseTo(-(Math.log(0.9) + Math.log(0.2) + Math.log(0.6) + Math.log(0.7)) / 4, 12);
    // (0.01 + 0.01) + (0.64 + 0.64) + (0.16 + 0.16) + (0.09 + 0.09) = 1.8 over 4 items
    expect(m.brier).toBeCloseTo(0.45, 12);
  });

  it('ECE over 15 equal-width bins: every item alone in its bin', () => {
    const m = calibrationMetrics({ probabilities: p, numClasses: 2 }, y);
    // ¼ (|1 − .9| + |0 − .8| + |1 − .6| + |1 − .7|)
    expect(m.ece).toBeCloseTo(0.4, 12);
    expect(m.reliability).toHaveLength(15);
    expect(m.reliability.filter((b) => b.count > 0).map((b) => [b.count, b.accuracy, b.confidence])).toEqual([
      [1, 1, 0.6],
      [1, 1, 0.7],
      [1, 0, 0.8],
      [1, 1, 0.9],
    ]);
  });

  it('equal width vs equal mass on 2 bins', () => {
    const m = calibrationMetrics({ probabilities: p, numClasses: 2 }, y, { bins: 2 });
    // one bin (0.5, 1] with all four: accuracy 0.75, mean confidence 0.75
    expect(m.ece).toBeCloseTo(0, 12);
    // sorted by confidence {.6 ✓, .7 ✓} and {.8 ✗, .9 ✓}: ½·|1 − .65| + ½·|.5 − .85|
    expect(m.adaptiveEce).toBeCloseTo(0.35, 12);
  });

  it('a tie picks the lowest class, and a confidence of exactly 1 falls in the last bin', () => {
    const m = calibrationMetrics(
      { probabilities: Float32Array.of(0.5, 0.5, 1, 0), numClasses: 2 },
      Int32Array.of(1, 0),
    );
    expect(m.accuracy).toBe(0.5);
    expect(m.reliability[14]!.count).toBe(1);
    expect(m.reliability[7]!.count).toBe(1); // 0.5 ∈ (7/15, 8/15]
  });

  it('refuses rows that are not probabilities and labels out of range', () => {
    expect(() =>
      calibrationMetrics({ probabilities: Float32Array.of(0.5, 0.6), numClasses: 2 }, Int32Array.of(0)),
    ).toThrow(/expected each row to sum to 1, got 1\.1/);
    expect(() => calibrationMetrics({ probabilities: Float32Array.of(1, 0), numClasses: 2 }, Int32Array.of(2))).toThrow(
      /expected labels in \[0, 2\), got 2/,
    );
    expect(() =>
      calibrationMetrics({ probabilities: Float32Array.of(1, 0, 0), numClasses: 2 }, Int32Array.of(0)),
    ).toThrow(/expected probabilities of length n·numClasses/);
  });
});
