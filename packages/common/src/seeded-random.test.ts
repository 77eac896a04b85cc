import { describe, expect, it } from 'vitest';
import { isEmpiricalBregmanError } from './errors';
import { SeededRandom, isSeededRandom } from './seeded-random';

describe('SeededRandom', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const a = new SeededRandom(7);
    const b = new SeededRandom(7);
    const c = new SeededRandom(8);
    const xa = Array.from({ length: 20 }, () => a.nextUint32());
    const xb = Array.from({ length: 20 }, () => b.nextUint32());
    const xc = Array.from({ length: 20 }, () => c.nextUint32());
    expect(xa).toEqual(xb);
    expect(xa).not.toEqual(xc);
    expect(new SeededRandom('train').next()).toBe(new SeededRandom('train').next());
  });

  it('restores a saved state exactly, including a pending normal deviate', () => {
    const rng = new SeededRandom(123);
    for (let i = 0; i < 37; i++) rng.normal();
    rng.normal(); // leaves a spare deviate in the state
    const saved = JSON.parse(JSON.stringify(rng.getState()));
    const expected = [rng.normal(), rng.next(), rng.int(1000), rng.normal(), Array.from(rng.permutation(8))];
    const resumed = SeededRandom.fromState(saved);
    const actual = [
      resumed.normal(),
      resumed.next(),
      resumed.int(1000),
      resumed.normal(),
      Array.from(resumed.permutation(8)),
    ];
    expect(actual).toEqual(expected);
  });

  it('draws uniform floats and unbiased integers', () => {
    const rng = new SeededRandom(1);
    const n = 100_000;
    let sum = 0;
    const counts = new Array(10).fill(0);
    for (let i = 0; i < n; i++) {
      const u = rng.next();
      expect(u >= 0 && u < 1).toBe(true);
      sum += u;
      counts[rng.int(10)]++;
    }
    expect(Math.abs(sum / n - 0.5)).toBeLessThan(0.005);
    // Chi-square with 9 degrees of freedom: the 99.9% quantile is 27.9.
    const chi2 = counts.reduce((acc, c) => acc + (c - n / 10) ** 2 / (n / 10), 0);
    expect(chi2).toBeLessThan(27.9);
  });

  it('draws standard normals with the right moments', () => {
    const rng = new SeededRandom(2);
    const xs = rng.normalArray(50_000);
    const mean = xs.reduce((a, x) => a + x, 0) / xs.length;
    const variance = xs.reduce((a, x) => a + (x - mean) ** 2, 0) / xs.length;
    expect(Math.abs(mean)).toBeLessThan(0.02);
    expect(Math.abs(variance - 1)).toBeLessThan(0.03);
  });

  it('permutes and samples without repetition', () => {
    const rng = new SeededRandom(3);
    const p = Array.from(rng.permutation(1000)).sort((x, y) => x - y);
    expect(p).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    const s = Array.from(rng.sample(1_000_000, 500));
    expect(new Set(s).size).toBe(500);
    expect(s.every((v) => v >= 0 && v < 1_000_000)).toBe(true);
  });

  it('forks independent, reproducible streams', () => {
    const f1 = new SeededRandom(9).fork('sampler');
    const f2 = new SeededRandom(9).fork('sampler');
    const g = new SeededRandom(9).fork('augment');
    expect(f1.nextUint32()).toBe(f2.nextUint32());
    expect(f1.nextUint32()).not.toBe(g.nextUint32());
  });

  it('is recognised by a global brand, not by its class (an ESM and a CJS copy of common have two classes)', () => {
    expect(isSeededRandom(new SeededRandom(1))).toBe(true);
    expect(isSeededRandom(SeededRandom.fromState(new SeededRandom(2).getState()))).toBe(true);
    expect(isSeededRandom(new SeededRandom(3).fork('x'))).toBe(true);
    // What another copy's generator looks like from here: the same brand on an object of another class.
    const foreign = Object.defineProperty({}, Symbol.for('empirical-bregman.seeded-random'), { value: true });
    expect(isSeededRandom(foreign)).toBe(true);
    for (const other of [7, 'seed', null, undefined, {}, { next: () => 0.5 }])
      expect(isSeededRandom(other)).toBe(false);
    // The brand is not enumerable: copies with { ...rng } and Object.assign do not forge it.
    const brand = Object.getOwnPropertyDescriptor(new SeededRandom(4), Symbol.for('empirical-bregman.seeded-random'));
    expect(brand?.enumerable).toBe(false);
    expect(isSeededRandom({ ...new SeededRandom(5) })).toBe(false);
  });

  it('rejects bad arguments with project errors', () => {
    expect(() => new SeededRandom(Number.NaN)).toThrow(/SeededRandom: expected a finite seed, got NaN/);
    const rng = new SeededRandom(0);
    expect(() => rng.int(0)).toThrow(/expected an integer n/);
    expect(() => rng.sample(3, 4)).toThrow(/k = 4/);
    try {
      rng.setState({ algorithm: 'sfc32', words: [1, 2, 3], spareNormal: null } as never);
      expect.unreachable();
    } catch (error) {
      expect(isEmpiricalBregmanError(error)).toBe(true);
      expect((error as { code: string }).code).toBe('INVALID_ARGUMENT');
    }
  });
});
