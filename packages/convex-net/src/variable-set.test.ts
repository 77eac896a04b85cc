import { createRequire } from 'node:module';
import { SeededRandom } from '@empirical-bregman/common';
import { describe, expect, it } from 'vitest';
import { IcnnConvexFunction } from './icnn-convex-function';
import { toRandom } from './variable-set';

// The built CJS copy of common: a second SeededRandom class, as in an application that loads both builds.
const foreign = createRequire(import.meta.url)('../../common/dist/index.cjs') as {
  SeededRandom: typeof SeededRandom;
};

describe('toRandom', () => {
  it('takes a SeededRandom from another copy of common as a generator (advanced, not copied)', () => {
    const rng = new foreign.SeededRandom(5);
    expect(rng instanceof SeededRandom).toBe(false);
    expect(toRandom('test', rng)).toBe(rng);
    const a = new IcnnConvexFunction({ dim: 2, hiddenSizes: [3], seed: new foreign.SeededRandom(5) });
    const b = new IcnnConvexFunction({ dim: 2, hiddenSizes: [3], seed: new SeededRandom(5) });
    expect(a.toJSON().weights).toEqual(b.toJSON().weights);
    a.dispose();
    b.dispose();
  });

  it('starts a generator from a number or string seed, and rejects anything else', () => {
    expect(toRandom('test', 3).next()).toBe(new SeededRandom(3).next());
    expect(toRandom('test', 'x').next()).toBe(new SeededRandom('x').next());
    expect(() => toRandom('Thing', { next: () => 0.5 } as never)).toThrow(
      /Thing: expected seed to be a number, string or SeededRandom/,
    );
  });
});
