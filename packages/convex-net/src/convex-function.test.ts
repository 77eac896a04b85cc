import { SeededRandom, isEmpiricalBregmanError } from '@empirical-bregman/common';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import type { ConvexFunction } from './convex-function';
import { convexFunctionFromJSON } from './convex-function-registry';
import { ConvexNetError } from './convex-net-error';
import {
  bregmanSum,
  closeness,
  evaluate,
  finiteDifferenceGrad,
  convexityViolations,
  generatorCases,
} from './test-support';

// The contract of `ConvexFunction`, checked on every generator of the package.
const DIM = 5;
const cases = generatorCases();

function withGenerator<T>(make: () => ConvexFunction, body: (phi: ConvexFunction) => T): T {
  const phi = make();
  try {
    return body(phi);
  } finally {
    phi.dispose();
  }
}

describe.each(cases)('$name', (c) => {
  it('∇φ equals central finite differences of φ', () => {
    withGenerator(
      () => c.make(DIM, 3),
      (phi) => {
        const x = c.sample(new SeededRandom(11), 6, DIM);
        const { grad } = evaluate(phi, x);
        if (!c.kinked) {
          expect(closeness(grad, finiteDifferenceGrad(phi, x, 1e-2), 5e-3, 1e-2)).toBeLessThan(1);
          return;
        }
        const fd = finiteDifferenceGrad(phi, x, 1e-3, 1e-2);
        const keep = fd.kink.flat().map((k) => !k);
        expect(keep.filter(Boolean).length).toBeGreaterThan(0.8 * keep.length);
        const pick = (a: number[][]) => a.flat().filter((_, i) => keep[i]);
        expect(closeness(pick(grad), pick(fd), 5e-3, 1e-2)).toBeLessThan(1);
      },
    );
  });

  it('∇φ equals autodiff of φ (tf.grad of the value)', () => {
    withGenerator(
      () => c.make(DIM, 4),
      (phi) => {
        const x = tf.tensor2d(c.sample(new SeededRandom(12), 6, DIM));
        const auto = tf.grad((v: tf.Tensor) => tf.sum(phi.valueAndGrad(v as tf.Tensor2D, { validate: false }).value))(
          x,
        );
        const { value, grad } = phi.valueAndGrad(x);
        expect(closeness(grad.arraySync(), auto.arraySync() as number[][], 1e-5, 1e-4)).toBeLessThan(1);
        tf.dispose([x, auto, value, grad]);
      },
    );
  });

  it(`declares its input domain ('${c.domain}'), checks it, and keeps it through JSON`, () => {
    withGenerator(
      () => c.make(DIM, 10),
      (phi) => {
        expect(phi.domain).toBe(c.domain);
        const copy = convexFunctionFromJSON(JSON.parse(JSON.stringify(phi.toJSON())));
        expect(copy.domain).toBe(c.domain);
        copy.dispose();
        if (phi.conjugate) expect(['real', 'positive', 'negative', 'unit-interval']).toContain(phi.conjugate.domain);
        // Inside: every sign for 'real'; outside: 0 for 'positive', −0.5 for 'nonnegative'.
        const inside = c.domain === 'real' ? [[-5, -0.5, 0, 0.5, 5]] : c.sample(new SeededRandom(17), 1, DIM);
        const input = tf.tensor2d(inside);
        const r = phi.valueAndGrad(input);
        tf.dispose([input, r.value, r.grad]);
        if (c.domain !== 'real') {
          const outside = tf.tensor2d([[1, 1, 1, c.domain === 'positive' ? 0 : -0.5, 1]]);
          let caught: unknown;
          try {
            phi.valueAndGrad(outside);
          } catch (error) {
            caught = error;
          }
          expect((caught as { code?: string })?.code).toBe('OUT_OF_DOMAIN');
          expect((caught as Error).message).toMatch(/expected x with entries x [>≥] 0, got -?0(\.5)? at \[0, 3\]/);
          outside.dispose();
        }
      },
    );
  });

  it('round-trips through JSON (same values and gradients after JSON.stringify)', () => {
    withGenerator(
      () => c.make(DIM, 5),
      (phi) => {
        const json = JSON.parse(JSON.stringify(phi.toJSON()));
        expect(json.type).toBe(phi.type);
        const before = tf.memory().numTensors;
        convexFunctionFromJSON(json).dispose();
        expect(tf.memory().numTensors).toBe(before);
        const copy = convexFunctionFromJSON(json);
        try {
          expect(copy.type).toBe(phi.type);
          expect(copy.dim).toBe(DIM);
          expect(copy.trainableVariables.length).toBe(phi.trainableVariables.length);
          const x = c.sample(new SeededRandom(13), 4, DIM);
          const a = evaluate(phi, x);
          const b = evaluate(copy, x);
          expect(b.value).toEqual(a.value);
          expect(b.grad).toEqual(a.grad);
          expect(copy.trainableVariables.every((v) => !phi.trainableVariables.includes(v))).toBe(true);
        } finally {
          copy.dispose();
        }
      },
    );
  });

  it('is convex on 1,000 random pairs (midpoint Jensen and monotone gradient)', () => {
    withGenerator(
      () => c.make(DIM, 6),
      (phi) => {
        const rng = new SeededRandom(14);
        expect(convexityViolations(phi, c.sample(rng, 1000, DIM), c.sample(rng, 1000, DIM))).toEqual({
          jensen: 0,
          monotone: 0,
        });
      },
    );
  });

  it('leaves tf.memory().numTensors unchanged after 100 public calls', () => {
    withGenerator(
      () => c.make(DIM, 7),
      (phi) => {
        const x = tf.tensor2d(c.sample(new SeededRandom(15), 3, DIM));
        const before = tf.memory().numTensors;
        for (let i = 0; i < 100; i++) {
          const r = phi.valueAndGrad(x, { validate: i % 2 === 0 });
          r.value.dispose();
          r.grad.dispose();
        }
        phi.toJSON();
        if (phi.conjugate) {
          const g = phi.valueAndGrad(x);
          const r = phi.conjugate.valueAndGrad(g.grad);
          tf.dispose([g.value, g.grad, r.value, r.grad]);
        }
        expect(tf.memory().numTensors).toBe(before);
        x.dispose();
      },
    );
  });

  it('rejects wrong rank, wrong width and non-finite input, naming the generator', () => {
    withGenerator(
      () => c.make(DIM, 8),
      (phi) => {
        const base = phi.type;
        const bad: [tf.Tensor, string, RegExp][] = [
          [
            tf.ones([DIM]),
            'INVALID_SHAPE',
            new RegExp(`expected x of shape \\[n, ${DIM}\\], got a tensor of shape \\[${DIM}\\]`),
          ],
          [tf.ones([2, DIM + 1]), 'INVALID_SHAPE', /got a tensor of shape \[2, 6\]/],
          [tf.tensor2d([[1, 1, Number.NaN, 1, 1]]), 'NON_FINITE', /expected finite values in x, got NaN at \[0, 2\]/],
          [tf.tensor2d([[1, 1, 1, 1, Number.POSITIVE_INFINITY]]), 'NON_FINITE', /got Infinity at \[0, 4\]/],
        ];
        for (const [x, code, message] of bad) {
          let caught: unknown;
          try {
            phi.valueAndGrad(x as tf.Tensor2D);
          } catch (error) {
            caught = error;
          }
          expect(isEmpiricalBregmanError(caught)).toBe(true);
          expect((caught as { code: string }).code).toBe(code);
          expect((caught as Error).message).toMatch(new RegExp(`^${base}\\.valueAndGrad: `));
          expect((caught as Error).message).toMatch(message);
          x.dispose();
        }
        expect(() => phi.valueAndGrad([[1, 2, 3, 4, 5]] as unknown as tf.Tensor2D)).toThrow(
          new RegExp(`^${base}\\.valueAndGrad: expected x to be a tf.Tensor2D of shape \\[n, ${DIM}\\], got object`),
        );
        // validate: false skips the data read (a NaN goes through), but never the shape check.
        const nan = tf.tensor2d([[1, 1, Number.NaN, 1, 1]]);
        const r = phi.valueAndGrad(nan, { validate: false });
        tf.dispose([nan, r.value, r.grad]);
        const wide = tf.ones([1, DIM + 1]) as tf.Tensor2D;
        expect(() => phi.valueAndGrad(wide, { validate: false })).toThrow(/expected x of shape/);
        wide.dispose();
      },
    );
  });

  if (!c.learnable) {
    // Fenchel–Young with equality at y = ∇φ(x): φ(x) + φ*(∇φ(x)) = ⟨x, ∇φ(x)⟩, and ∇φ*(∇φ(x)) = x.
    it('has a conjugate with φ(x) + φ*(∇φ(x)) = ⟨x, ∇φ(x)⟩ and ∇φ*(∇φ(x)) = x', () => {
      withGenerator(
        () => c.make(DIM, 2),
        (phi) => {
          expect(phi.conjugate).toBeDefined();
          const rows = c.sample(new SeededRandom(3), 8, DIM).map((r) => r.map((v) => Math.max(-3, Math.min(3, v))));
          const x = tf.tensor2d(rows);
          const f = phi.valueAndGrad(x);
          const g = phi.conjugate!.valueAndGrad(f.grad);
          const fx = f.value.dataSync();
          const gx = f.grad.arraySync();
          const fstar = g.value.dataSync();
          const lhs = rows.map((_, i) => fx[i] + fstar[i]);
          const rhs = rows.map((r, i) => r.reduce((s, v, j) => s + v * gx[i][j], 0));
          expect(closeness(lhs, rhs, 1e-4, 1e-4)).toBeLessThan(1);
          expect(closeness(g.grad.arraySync(), rows, 1e-4, 1e-3)).toBeLessThan(1);
          tf.dispose([x, f.value, f.grad, g.value, g.grad]);
        },
      );
    });
  }

  if (c.learnable) {
    it('∂/∂θ of Σ cᵢ[φ(xᵢ) − φ(yᵢ) − ⟨∇φ(yᵢ), xᵢ − yᵢ⟩] equals finite differences in θ', () => {
      withGenerator(
        () => c.make(DIM, 9),
        (phi) => {
          const rng = new SeededRandom(16);
          const x = tf.tensor2d(c.sample(rng, 8, DIM));
          const y = tf.tensor2d(c.sample(rng, 8, DIM));
          const cw = tf.tensor1d(Array.from({ length: 8 }, () => rng.uniform(0.5, 1.5)));
          const { grads, value } = tf.variableGrads(() => bregmanSum(phi, x, y, cw), phi.trainableVariables);
          value.dispose();
          // Piecewise-linear generators: a small step, and probes with a kink within the step are skipped.
          const h = c.kinked ? 1e-3 : 1e-2;
          const analytic: number[] = [];
          const numeric: number[] = [];
          let skipped = 0;
          for (const v of phi.trainableVariables) {
            const g = grads[v.name].dataSync();
            const original = v.dataSync().slice();
            const at = (i: number, delta: number) => {
              const copy = original.slice();
              copy[i] += delta;
              tf.tidy(() => v.assign(tf.tensor(copy, v.shape)));
              const s = bregmanSum(phi, x, y, cw);
              const out = s.dataSync()[0];
              s.dispose();
              return out;
            };
            for (let probe = 0; probe < 4; probe++) {
              const i = rng.int(original.length);
              const [fp, f0, fm] = [at(i, h), at(i, 0), at(i, -h)];
              if (c.kinked && Math.abs((fp - f0) / h - (f0 - fm) / h) > 2e-2) {
                skipped++;
                continue;
              }
              numeric.push((fp - fm) / (2 * h));
              analytic.push(g[i]);
            }
            tf.tidy(() => v.assign(tf.tensor(original, v.shape)));
          }
          expect(skipped).toBeLessThanOrEqual(0.25 * (analytic.length + skipped));
          tf.dispose([x, y, cw, ...Object.values(grads)]);
          expect(closeness(analytic, numeric, 5e-3, 2e-2)).toBeLessThan(1);
        },
      );
    });
  }
});

describe('convexFunctionFromJSON', () => {
  it('rejects unknown types and malformed input with NOT_FOUND / BAD_FORMAT', () => {
    expect(() => convexFunctionFromJSON({ type: 'Nope', config: {}, weights: {} })).toThrow(
      /convexFunctionFromJSON: expected a registered type \(SquaredNorm, .*\), got 'Nope'/,
    );
    expect(() => convexFunctionFromJSON(null as never)).toThrow(/BAD_FORMAT|expected \{ type: string/);
  });

  it('loads a model saved before NamedArray (weights as { shape, values }) and saves it in the same form', () => {
    // φ(x) = max(x₀, x₁ + 0.5), written as the JSON a saved model has always held.
    const saved = {
      type: 'MaxAffineConvexFunction',
      config: { dim: 2, pieces: 2 },
      weights: {
        slopes: { shape: [2, 2], values: [1, 0, 0, 1] },
        intercepts: { shape: [2], values: [0, 0.5] },
      },
    };
    const phi = convexFunctionFromJSON(JSON.parse(JSON.stringify(saved)));
    try {
      const { value, grad } = evaluate(phi, [
        [2, 0],
        [0, 1],
      ]);
      expect(value).toEqual([2, 1.5]);
      expect(grad).toEqual([
        [1, 0],
        [0, 1],
      ]);
      expect(JSON.parse(JSON.stringify(phi.toJSON()))).toEqual(saved);
    } finally {
      phi.dispose();
    }
  });

  it('rejects malformed weights with ConvexNetError BAD_FORMAT naming the generator and the weight', () => {
    const json = cases.find((c) => c.name === 'LearnedQuadratic')!.make(2, 1);
    const saved = json.toJSON();
    json.dispose();
    const load = (L: unknown) => () => convexFunctionFromJSON({ ...saved, weights: { L } as never });
    expect(load(undefined)).toThrow(/^LearnedQuadratic: expected weight 'L' of shape \[2, 3\], got none$/);
    expect(load({ shape: [2, 3], values: [1, 2, null, 4, 5, 6] })).toThrow(
      /^LearnedQuadratic: expected 'L' as finite numbers, got null at index 2$/,
    );
    expect(load({ shape: [2, 3], dtype: 'int32', values: [1, 2, 3, 4, 5, 6] })).toThrow(/of dtype float32, got int32/);
    try {
      load({ shape: [2, 3], values: [1] })();
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConvexNetError);
      expect((error as ConvexNetError).code).toBe('BAD_FORMAT');
    }
  });

  it('rejects weights of the wrong shape without leaking variables', () => {
    const phi = cases.find((c) => c.name === 'LearnedQuadratic')!.make(4, 1);
    const json = phi.toJSON();
    phi.dispose();
    const before = tf.memory().numTensors;
    expect(() =>
      convexFunctionFromJSON({ ...json, weights: { L: { shape: [4, 2], values: [1, 2, 3, 4, 5, 6, 7, 8] } } }),
    ).toThrow(/LearnedQuadratic: expected weight 'L' of shape \[4, 3\], got shape \[4, 2\] with 8 values/);
    expect(tf.memory().numTensors).toBe(before);
  });
});
