import * as tf from '@tensorflow/tfjs-core';
import { IcnnConvexFunction, Quadratic } from '@empirical-bregman/convex-net';
import { SeededRandom } from '@empirical-bregman/common';
import { describe, expect, it } from 'vitest';
import { BregmanCoreError } from './bregman-core-error';
import { BregmanDivergence } from './bregman-divergence';
import { CosineDivergence } from './cosine-divergence';
import type { Divergence } from './divergence';
import { divergenceFromJSON, registerDivergence, registeredDivergences } from './divergence-from-json';
import { EuclideanDivergence } from './euclidean-divergence';
import { JeffreysBregman } from './jeffreys-bregman';
import { SquaredEuclideanDivergence } from './squared-euclidean-divergence';
import { randomMatrix, randomSpd, toMatrix } from './test-helpers';

describe('divergenceFromJSON', () => {
  const rng = new SeededRandom(9);
  const m = randomSpd(3, rng);
  // Built inside the tests (after the backend is initialised), as factories.
  const divergences: [string, () => Divergence][] = [
    [
      'BregmanDivergence (Quadratic, options)',
      () => new BregmanDivergence(new Quadratic({ matrix: m }), { validate: true, tolerance: { relative: 1e-3 } }),
    ],
    ['JeffreysBregman (Quadratic)', () => new JeffreysBregman(new Quadratic({ matrix: m }))],
    [
      'BregmanDivergence (ICNN, learned weights)',
      () => new BregmanDivergence(new IcnnConvexFunction({ dim: 3, hiddenSizes: [5, 4], seed: 2 })),
    ],
    ['SquaredEuclideanDivergence', () => new SquaredEuclideanDivergence()],
    ['EuclideanDivergence', () => new EuclideanDivergence()],
    ['CosineDivergence', () => new CosineDivergence()],
  ];
  for (const [name, make] of divergences) {
    it(`round-trips ${name} through JSON text with identical pairwise values`, () => {
      const div = make();
      const copy = divergenceFromJSON(JSON.parse(JSON.stringify(div.toJSON())));
      expect(copy.type).toBe(div.type);
      expect(copy.toJSON()).toEqual(div.toJSON());
      const a = tf.tensor2d(randomMatrix(4, 3, () => rng.normal()));
      const b = tf.tensor2d(randomMatrix(2, 3, () => rng.normal()));
      expect(toMatrix(copy.pairwise(a, b))).toEqual(toMatrix(div.pairwise(a, b)));
      copy.dispose();
      div.dispose();
    });
  }

  it('rejects unknown types and malformed JSON with codes', () => {
    const err = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(BregmanCoreError);
        return (e as BregmanCoreError).code;
      }
      return 'no error';
    };
    expect(err(() => divergenceFromJSON({ type: 'Nope', config: {} }))).toBe('NOT_FOUND');
    expect(err(() => divergenceFromJSON(null as never))).toBe('BAD_FORMAT');
    expect(err(() => divergenceFromJSON({ type: 'BregmanDivergence', config: {} }))).toBe('BAD_FORMAT');
  });

  it('accepts registered custom types and refuses to replace built-ins', () => {
    registerDivergence('MyCosine', () => new CosineDivergence());
    expect(registeredDivergences()).toContain('MyCosine');
    expect(divergenceFromJSON({ type: 'MyCosine', config: {} }).type).toBe('CosineDivergence');
    expect(() => registerDivergence('BregmanDivergence', () => new CosineDivergence())).toThrowError(/built-in/);
  });
});
