import * as tf from '@tensorflow/tfjs-core';
import { NegativeEntropy, SquaredNorm } from '@empirical-bregman/convex-net';
import { describe, expect, it } from 'vitest';
import { BregmanDivergence } from './bregman-divergence';
import { bregmanGeneratorOf } from './bregman-generator-of';
import { bregmanKMeans } from './bregman-k-means';
import { CosineDivergence } from './cosine-divergence';
import { divergenceFromJSON } from './divergence-from-json';
import type { Divergence } from './divergence';
import { EuclideanDivergence } from './euclidean-divergence';
import { JeffreysBregman } from './jeffreys-bregman';
import { SquaredEuclideanDivergence } from './squared-euclidean-divergence';

/** A divergence from "another package": no class in common with bregman-core, only the interface. */
function wrap(inner: Divergence, counter: { pairwise: number }): Divergence {
  return {
    type: 'Wrapped',
    symmetric: inner.symmetric,
    dim: inner.dim,
    pairwise: (a, b) => {
      counter.pairwise++;
      return inner.pairwise(a, b);
    },
    paired: (a, b) => inner.paired(a, b),
    trainableVariables: inner.trainableVariables,
    bregmanGenerator: inner.bregmanGenerator,
    toJSON: () => inner.toJSON(),
    dispose: () => inner.dispose(),
  };
}

describe('bregmanGeneratorOf', () => {
  it('gives φ for a Bregman divergence D_φ, also one rebuilt from JSON', () => {
    const phi = new NegativeEntropy({ dim: 3 });
    const kl = new BregmanDivergence(phi);
    expect(bregmanGeneratorOf(kl)).toBe(phi);
    const copy = divergenceFromJSON(kl.toJSON());
    expect(bregmanGeneratorOf(copy)?.type).toBe('NegativeEntropy');
    copy.dispose();
  });

  it('gives null for divergences that are not D_φ of a generator they hold', () => {
    // Jeffreys is symmetrised: ½(D_φ(x, y) + D_φ(y, x)) is not a Bregman divergence of φ.
    expect(bregmanGeneratorOf(new JeffreysBregman(new SquaredNorm({ dim: 2 })))).toBeNull();
    expect(bregmanGeneratorOf(new SquaredEuclideanDivergence())).toBeNull();
    expect(bregmanGeneratorOf(new EuclideanDivergence())).toBeNull();
    expect(bregmanGeneratorOf(new CosineDivergence())).toBeNull();
  });

  it('is a capability, not a class: k-means takes its Bregman fast path for any divergence that declares φ', () => {
    const x = tf.concat([
      tf.randomNormal([40, 3], 0, 0.3, 'float32', 1),
      tf.randomNormal([40, 3], 4, 0.3, 'float32', 2),
    ]) as tf.Tensor2D;
    const bregman = { pairwise: 0 };
    const other = { pairwise: 0 };
    const declared = wrap(new BregmanDivergence(new SquaredNorm({ dim: 3 })), bregman);
    const undeclared = wrap(new SquaredEuclideanDivergence(), other);
    const a = bregmanKMeans(x, declared, { k: 2, seed: 1, restarts: 1 });
    const b = bregmanKMeans(x, undeclared, { k: 2, seed: 1, restarts: 1 });
    // The fast path evaluates φ and ∇φ itself: no pairwise call at all.
    expect(other.pairwise).toBeGreaterThan(0);
    expect(bregman.pairwise).toBe(0);
    expect(Array.from(a.assignments)).toEqual(Array.from(b.assignments));
    tf.dispose([x, a.centroids, b.centroids]);
  });
});
