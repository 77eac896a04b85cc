import * as tf from '@tensorflow/tfjs-core';
import { SeededRandom } from '@empirical-bregman/common';
import { describe, expect, it } from 'vitest';
import { BregmanDivergence } from './bregman-divergence';
import { JeffreysBregman } from './jeffreys-bregman';
import { bregmanByLoops, LEARNABLE_GENERATORS, type Matrix, randomMatrix, toMatrix, worstRatio } from './test-helpers';

describe('Bregman divergences of learnable generators', () => {
  for (const gen of LEARNABLE_GENERATORS) {
    it(`${gen.name}: pairwise and paired equal the definition pair by pair, both argument orders`, () => {
      const rng = new SeededRandom(`learned-${gen.name}`);
      const d = 6;
      const a = randomMatrix(9, d, () => gen.draw(rng));
      const b = randomMatrix(5, d, () => gen.draw(rng));
      const div = new BregmanDivergence(gen.make(d), { validate: true });
      const before = tf.memory().numTensors;
      for (const [x, y] of [
        [a, b],
        [b, a],
      ] as [Matrix, Matrix][]) {
        const ref = bregmanByLoops(div.generator, x, y);
        const tx = tf.tensor2d(x);
        const ty = tf.tensor2d(y);
        const got = div.pairwise(tx, ty);
        // The clamp turns tiny negatives into 0: compare with the clamped definition.
        const expected = ref.d.map((row) => row.map((v) => Math.max(v, 0)));
        expect(worstRatio(toMatrix(got), expected, ref.scale, 1e-5, 1e-6)).toBeLessThanOrEqual(1);
        const n = Math.min(y.length, x.length);
        const px = tf.slice(tx, [0, 0], [n, d]) as tf.Tensor2D;
        const py = tf.slice(ty, [0, 0], [n, d]) as tf.Tensor2D;
        const paired = div.paired(px, py);
        const diag = expected.slice(0, n).map((row, i) => [row[i]]);
        const scale = ref.scale.slice(0, n).map((row, i) => [row[i]]);
        expect(
          worstRatio(
            (paired.arraySync() as number[]).map((v) => [v]),
            diag,
            scale,
            1e-5,
            1e-6,
          ),
        ).toBeLessThanOrEqual(1);
        tf.dispose([tx, ty, got, paired, px, py]);
      }
      expect(tf.memory().numTensors).toBe(before);
      div.dispose();
    });

    it(`${gen.name}: D ≥ 0, D(x, x) = 0 (relative tolerance) and finite for inputs up to |x| = 1e3`, () => {
      const rng = new SeededRandom(`scale-${gen.name}`);
      const d = 6;
      const phi = gen.make(d);
      const div = new BregmanDivergence(phi, { validate: true });
      const sym = new JeffreysBregman(phi, { validate: true });
      for (const scale of [1, 10, 100, 1000]) {
        const x = randomMatrix(12, d, () => scale * rng.normal());
        const y = randomMatrix(10, d, () => scale * rng.normal());
        const ref = bregmanByLoops(phi, x, y.concat(x));
        for (let i = 0; i < x.length; i++) {
          for (let j = 0; j < ref.d[i].length; j++) {
            const v = ref.d[i][j];
            expect(Number.isFinite(v)).toBe(true);
            // Negative only within float32 cancellation of the terms.
            expect(v).toBeGreaterThanOrEqual(-(1e-4 * ref.scale[i][j] + 1e-6));
          }
          // D(x, x): the entry of x_i against itself (column y.length + i).
          expect(Math.abs(ref.d[i][y.length + i])).toBeLessThanOrEqual(1e-4 * ref.scale[i][y.length + i] + 1e-6);
        }
        // The tensor path with validate on raises nothing and is finite, ≥ 0.
        const [got, j] = tf.tidy(() => {
          const tx = tf.tensor2d(x);
          return [
            div.pairwise(tx, tf.concat([tf.tensor2d(y), tx]) as tf.Tensor2D).dataSync(),
            sym.pairwise(tx, tx).dataSync(),
          ];
        });
        for (const v of got) expect(v >= 0 && Number.isFinite(v)).toBe(true);
        for (const v of j) expect(v >= 0 && Number.isFinite(v)).toBe(true);
      }
      div.dispose();
    });
  }
});
