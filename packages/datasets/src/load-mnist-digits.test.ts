import { describe, expect, it } from 'vitest';
import { loadMnistDigits } from './load-mnist-digits';

describe('loadMnistDigits', () => {
  const data = loadMnistDigits();

  it('loads the 10,000 embedded digits with 10 labels of roughly 1,000 each', () => {
    expect(data.labels.length).toBe(10_000);
    expect(data.sampleShape).toEqual([28, 28, 1]);
    expect(data.features.length).toBe(10_000 * 784);
    const counts = new Array(10).fill(0);
    for (const y of data.labels) counts[y]++;
    // The per-digit counts of mnist 1.1.0 (documented in shared/README.md).
    expect(counts).toEqual([1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]);
  });

  it('has pixels in [0, 1], with real ink (not blank images)', () => {
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    for (const v of data.features) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
    expect(min).toBe(0);
    expect(max).toBeGreaterThan(0.99);
    expect(max).toBeLessThanOrEqual(1);
    // Every image has some ink: MNIST digits cover roughly 10–20 % of the 784 pixels.
    for (const i of [0, 1234, 5000, 9999]) {
      const img = data.features.subarray(i * 784, (i + 1) * 784);
      const ink = img.reduce((a, v) => a + (v > 0.5 ? 1 : 0), 0);
      expect(ink).toBeGreaterThan(20);
      expect(ink).toBeLessThan(400);
    }
  });

  it('is deterministic and class-major, and maxPerClass keeps the first images', () => {
    const small = loadMnistDigits({ maxPerClass: 3 });
    expect(Array.from(small.labels)).toEqual([
      0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 5, 5, 5, 6, 6, 6, 7, 7, 7, 8, 8, 8, 9, 9, 9,
    ]);
    // The first "1" of the small set is image 1001 of the full set.
    expect(Array.from(small.features.subarray(3 * 784, 4 * 784))).toEqual(
      Array.from(data.features.subarray(1001 * 784, 1002 * 784)),
    );
    expect(() => loadMnistDigits({ maxPerClass: 0 })).toThrow(/maxPerClass >= 1/);
  });
});
