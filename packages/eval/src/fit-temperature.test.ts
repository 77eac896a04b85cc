import { SeededRandom } from '@empirical-bregman/common';
import { describe, expect, it } from 'vitest';
import { fitTemperature, temperatureNll } from './fit-temperature';

describe('fitTemperature', () => {
  it('finds the NLL minimum that a fine grid over log τ finds', () => {
    const rng = new SeededRandom(4);
    const n = 300;
    const C = 4;
    const labels = Int32Array.from({ length: n }, () => rng.int(C));
    // Divergences to 4 centroids: the true class is nearer on average, with overlap.
    const d = Float64Array.from({ length: n * C }, (_, k) => {
      const i = Math.floor(k / C);
      return Math.abs(rng.normal(labels[i] === k % C ? 1 : 2.2, 0.8));
    });
    const fitted = fitTemperature(d, C, labels);
    let best = { tau: 0, nll: Number.POSITIVE_INFINITY };
    for (let g = 0; g <= 2000; g++) {
      const tau = 10 ** (-2 + (4 * g) / 2000);
      const nll = temperatureNll(d, C, labels, tau);
      if (nll < best.nll) best = { tau, nll };
    }
    expect(fitted.nll).toBeLessThanOrEqual(best.nll + 1e-9);
    expect(Math.abs(Math.log(fitted.temperature / best.tau))).toBeLessThan(0.01);
  });

  it('recovers the temperature that generated the labels', () => {
    const rng = new SeededRandom(9);
    const n = 20_000;
    const C = 3;
    const tau = 0.7;
    const d = Float64Array.from({ length: n * C }, () => rng.uniform(0, 3));
    const labels = Int32Array.from({ length: n }, (_, i) => {
      const w = [0, 1, 2].map((c) => Math.exp(-d[i * C + c]! / tau));
      let u = rng.uniform(0, w[0]! + w[1]! + w[2]!);
      for (let c = 0; c < C; c++) {
        u -= w[c]!;
        if (u <= 0) return c;
      }
      return C - 1;
    });
    expect(fitTemperature(d, C, labels).temperature).toBeCloseTo(tau, 1);
  });

  it('takes the priors into account: the NLL it minimises is the one with the given priors', () => {
    const rng = new SeededRandom(5);
    const n = 400;
    const labels = Int32Array.from({ length: n }, () => (rng.uniform() < 0.8 ? 0 : 1));
    const d = Float64Array.from({ length: n * 2 }, (_, k) =>
      Math.abs(rng.normal(labels[Math.floor(k / 2)] === k % 2 ? 1 : 1.6, 0.7)),
    );
    const priors = [Math.log(0.8), Math.log(0.2)];
    const withPriors = fitTemperature(d, 2, labels, { logPriors: priors });
    const uniform = fitTemperature(d, 2, labels);
    expect(withPriors.temperature).not.toBeCloseTo(uniform.temperature, 3);
    // Each is the minimum of its own NLL on a grid.
    for (let g = 0; g <= 400; g++) {
      const tau = 10 ** (-2 + (4 * g) / 400);
      expect(withPriors.nll).toBeLessThanOrEqual(temperatureNll(d, 2, labels, tau, priors) + 1e-9);
    }
  });

  it('uses the priors and refuses bad input', () => {
    const d = Float64Array.of(0, 1, 1, 0);
    const y = Int32Array.of(0, 1);
    const flat = fitTemperature(d, 2, y, { logPriors: [Math.log(0.5), Math.log(0.5)] });
    expect(flat.temperature).toBeCloseTo(1e-4, 8); // separable: the sharpest τ in range
    expect(() => fitTemperature(Float64Array.of(0, Number.NaN), 2, Int32Array.of(0))).toThrow(
      /finite divergences, got NaN/,
    );
    expect(() => fitTemperature(d, 2, Int32Array.of(0))).toThrow(/expected 1·numClasses divergences/);
    expect(() => fitTemperature(d, 2, Int32Array.of(0, 2))).toThrow(/expected labels in \[0, 2\), got 2 at 1/);
    expect(() => fitTemperature(d, 2, y, { logPriors: [0] })).toThrow(/expected 2 log-priors/);
    expect(() => fitTemperature(d, 2, y, { logPriors: [Number.NaN, 0] })).toThrow(/expected log-priors ≤ 0/);
    expect(() => temperatureNll(d, 2, y, 0)).toThrow(/expected a temperature > 0/);
  });
});
