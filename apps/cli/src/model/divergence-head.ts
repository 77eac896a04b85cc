import {
  BregmanDivergence,
  CosineDivergence,
  type Divergence,
  EuclideanDivergence,
} from '@empirical-bregman/bregman-core';
import {
  BurgEntropy,
  IcnnConvexFunction,
  LearnedQuadratic,
  MaxAffineConvexFunction,
  NegativeEntropy,
  ResidualIcnnConvexFunction,
} from '@empirical-bregman/convex-net';
import type { RunConfig } from '../config/run-config';

/** The divergence head: fixed (euclidean, cosine, kl, itakura-saito) or learned (mahalanobis, max-affine, icnn). */
export function buildDivergence(config: RunConfig): Divergence {
  const dim = config.embeddingDim;
  const seed = `${config.seed}/divergence`;
  switch (config.divergence) {
    case 'euclidean':
      return new EuclideanDivergence();
    case 'cosine':
      return new CosineDivergence();
    case 'mahalanobis':
      return new BregmanDivergence(new LearnedQuadratic({ dim, seed }));
    case 'max-affine':
      return new BregmanDivergence(new MaxAffineConvexFunction({ dim, pieces: config.maxAffinePieces, seed }));
    case 'icnn':
      if (config.icnnResidual)
        return new BregmanDivergence(
          new ResidualIcnnConvexFunction({ dim, hiddenSizes: config.icnnHidden, mu: config.icnnMu, seed }),
        );
      return new BregmanDivergence(
        new IcnnConvexFunction({ dim, hiddenSizes: config.icnnHidden, mu: config.icnnMu, seed }),
      );
    case 'kl':
      return new BregmanDivergence(new NegativeEntropy({ dim, floor: 1e-6 }));
    case 'itakura-saito':
      return new BregmanDivergence(new BurgEntropy({ dim, floor: 1e-6 }));
  }
}
