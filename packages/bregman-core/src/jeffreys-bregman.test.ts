import * as tf from '@tensorflow/tfjs-core';
import { SeededRandom } from '@empirical-bregman/common';
import { NegativeEntropy } from '@empirical-bregman/convex-net';
import { describe, expect, it } from 'vitest';
import { JeffreysBregman } from './jeffreys-bregman';
import { bregmanByLoops, FIXED_GENERATORS, randomMatrix, toMatrix, worstRatio } from './test-helpers';

describe('JeffreysBregman', () => {
  for (const gen of FIXED_GENERATORS) {
    it(`equals ½(D(x, y) + D(y, x)) pair by pair and is symmetric (${gen.name})`, () => {
      const rng = new SeededRandom(`jeffreys-${gen.name}`);
      const a = randomMatrix(5, 4, () => gen.draw(rng));
      const b = randomMatrix(3, 4, () => gen.draw(rng));
      const div = new JeffreysBregman(gen.make(4), { validate: true });
      const before = tf.memory().numTensors;
      const ta = tf.tensor2d(a);
      const tb = tf.tensor2d(b);
      const ab = bregmanByLoops(div.generator, a, b);
      const ba = bregmanByLoops(div.generator, b, a);
      const expected = a.map((_, i) => b.map((__, j) => 0.5 * (ab.d[i][j] + ba.d[j][i])));
      const scale = a.map((_, i) => b.map((__, j) => 0.5 * (ab.scale[i][j] + ba.scale[j][i])));
      const got = div.pairwise(ta, tb);
      expect(worstRatio(toMatrix(got), expected, scale, 1e-5, 1e-6)).toBeLessThanOrEqual(1);
      const back = div.pairwise(tb, ta);
      const gotBack = toMatrix(back);
      expect(
        worstRatio(
          gotBack,
          b.map((_, j) => a.map((__, i) => expected[i][j])),
          null,
          1e-4,
          1e-5,
        ),
      ).toBeLessThanOrEqual(1);
      const pa = tf.slice(ta, [0, 0], [3, 4]) as tf.Tensor2D;
      const paired = div.paired(pa, tb);
      const pairedExpected = b.map((_, i) => [expected[i][i]]);
      expect(
        worstRatio(
          (paired.arraySync() as number[]).map((v) => [v]),
          pairedExpected,
          null,
          1e-4,
          1e-5,
        ),
      ).toBeLessThanOrEqual(1);
      tf.dispose([ta, tb, got, back, pa, paired]);
      expect(tf.memory().numTensors).toBe(before);
    });
  }

  it('is half the Jeffreys divergence ½ Σ (x − y) log(x/y) for the negative entropy', () => {
    const x = [0.7, 0.2, 0.1];
    const y = [0.1, 0.3, 0.6];
    const div = new JeffreysBregman(new NegativeEntropy({ dim: 3 }));
    const got = toMatrix(div.pairwise(tf.tensor2d([x]), tf.tensor2d([y])))[0][0];
    const expected = 0.5 * x.reduce((s, xi, k) => s + (xi - y[k]) * Math.log(xi / y[k]), 0);
    expect(got).toBeCloseTo(expected, 5);
    expect(div.symmetric).toBe(true);
  });
});
