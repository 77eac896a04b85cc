import { SeededRandom } from '@empirical-bregman/common';
import { describe, expect, it } from 'vitest';
import { fitKnnKernel, knnKernelPosterior } from './knn-kernel-posterior';

describe('knnKernelPosterior', () => {
  it('matches the formula worked by hand: (Σ_{r∈c} w_r + ε·π_c) / (Σ_r w_r + ε), w_r = exp(−(D_r − D_(1))/τ)', () => {
    // k = 3 neighbours at D = 1, 2, 3 with labels 0, 1, 0; τ = 1, ε = 0.5, uniform priors over C = 2.
    const p = knnKernelPosterior({ k: 3, divergences: [1, 2, 3], labels: [0, 1, 0] }, 2, {
      temperature: 1,
      smoothing: 0.5,
    });
    const total = 1 + Math.exp(-1) + Math.exp(-2) + 0.5;
    expect(p[0]).toBeCloseTo((1 + Math.exp(-2) + 0.25) / total, 12);
    expect(p[1]).toBeCloseTo((Math.exp(-1) + 0.25) / total, 12);
  });

  it('priors spread the pseudo-vote; missing neighbours (label −1) do not vote; a row without any gets the prior', () => {
    const logPriors = [Math.log(0.8), Math.log(0.2)];
    const p = knnKernelPosterior(
      { k: 2, divergences: [0.5, Number.POSITIVE_INFINITY, 1, 1], labels: [1, -1, -1, -1] },
      2,
      { temperature: 2, smoothing: 1, logPriors },
    );
    // Row 0: one neighbour of class 1 with w = 1; pseudo-vote 1 split 0.8 / 0.2; total 2.
    expect(Array.from(p.subarray(0, 2))).toEqual([0.4, 0.6]);
    // Row 1: no neighbour: the pseudo-vote alone, i.e. the prior.
    expect(p[2]).toBeCloseTo(0.8, 12);
    expect(p[3]).toBeCloseTo(0.2, 12);
    expect(Array.from(knnKernelPosterior({ k: 1, divergences: [1], labels: [-1] }, 2, { smoothing: 0 }))).toEqual([
      0.5, 0.5,
    ]);
  });

  it('τ → 0 is the nearest neighbour’s vote, τ → ∞ the uniform vote (ε = 0)', () => {
    const neighbours = { k: 4, divergences: [0.1, 0.2, 0.3, 0.4], labels: [2, 0, 0, 1] };
    const cold = knnKernelPosterior(neighbours, 3, { temperature: 1e-6, smoothing: 0 });
    expect(Array.from(cold)).toEqual([0, 0, 1]);
    const hot = knnKernelPosterior(neighbours, 3, { temperature: 1e9, smoothing: 0 });
    expect(hot[0]).toBeCloseTo(0.5, 6);
    expect(hot[1]).toBeCloseTo(0.25, 6);
    expect(hot[2]).toBeCloseTo(0.25, 6);
  });

  it('refuses bad shapes, NaN, τ ≤ 0 and negative smoothing in one line', () => {
    expect(() => knnKernelPosterior({ k: 2, divergences: [1, 2, 3], labels: [0, 1, 0] }, 2)).toThrow(
      /knnKernelPosterior: expected n·k divergences/,
    );
    expect(() => knnKernelPosterior({ k: 1, divergences: [Number.NaN], labels: [0] }, 2)).toThrow(/got NaN at 0/);
    expect(() => knnKernelPosterior({ k: 1, divergences: [1], labels: [0] }, 2, { temperature: 0 })).toThrow(
      /temperature > 0/,
    );
    expect(() => knnKernelPosterior({ k: 1, divergences: [1], labels: [0] }, 2, { smoothing: -1 })).toThrow(
      /smoothing ≥ 0/,
    );
  });
});

/** Queries whose labels are drawn from the kernel posterior itself at a known τ*, ε*. */
function planted(n: number, k: number, C: number, tau: number, smoothing: number, seed: number) {
  const rng = new SeededRandom(seed);
  const divergences = new Float64Array(n * k);
  const labels = new Int32Array(n * k);
  for (let t = 0; t < n * k; t++) {
    divergences[t] = rng.uniform(0, 3);
    labels[t] = Math.floor(rng.uniform(0, C));
  }
  for (let i = 0; i < n; i++) {
    const row = divergences.subarray(i * k, (i + 1) * k).sort();
    divergences.set(row, i * k);
  }
  const neighbours = { k, divergences, labels };
  const p = knnKernelPosterior(neighbours, C, { temperature: tau, smoothing });
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let u = rng.uniform(0, 1);
    let c = 0;
    while (c < C - 1 && u >= p[i * C + c]!) u -= p[i * C + c++]!;
    y[i] = c;
  }
  return { neighbours, y };
}

describe('fitKnnKernel', () => {
  it('recovers the τ that generated the labels (known answer)', () => {
    const { neighbours, y } = planted(6000, 6, 3, 0.5, 0.1, 11);
    const fitted = fitKnnKernel(neighbours, 3, y);
    expect(fitted.temperature).toBeGreaterThan(0.4);
    expect(fitted.temperature).toBeLessThan(0.62);
    expect(fitted.smoothing).toBe(0.1);
  });

  it('finds an NLL no worse than a fine grid over τ for every ε of its grid', () => {
    const { neighbours, y } = planted(800, 5, 4, 2, 0.01, 3);
    const fitted = fitKnnKernel(neighbours, 4, y);
    const nllAt = (temperature: number, smoothing: number) => {
      const p = knnKernelPosterior(neighbours, 4, { temperature, smoothing });
      let total = 0;
      for (let i = 0; i < y.length; i++) total -= Math.log(p[i * 4 + y[i]!]!);
      return total / y.length;
    };
    expect(fitted.nll).toBeCloseTo(nllAt(fitted.temperature, fitted.smoothing), 10);
    let gridBest = Number.POSITIVE_INFINITY;
    for (const smoothing of [1e-3, 1e-2, 1e-1, 1])
      for (let s = 0; s <= 800; s++) gridBest = Math.min(gridBest, nllAt(10 ** (-4 + s / 100), smoothing));
    expect(fitted.nll).toBeLessThanOrEqual(gridBest + 1e-6);
  });

  it('refuses labels of another length or outside [0, C)', () => {
    const neighbours = { k: 1, divergences: [1, 2], labels: [0, 1] };
    expect(() => fitKnnKernel(neighbours, 2, Int32Array.from([0]))).toThrow(/length 2/);
    expect(() => fitKnnKernel(neighbours, 2, Int32Array.from([0, 2]))).toThrow(/labels in \[0, 2\)/);
  });
});
