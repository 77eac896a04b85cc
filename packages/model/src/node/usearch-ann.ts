import type { Divergence } from '@empirical-bregman/bregman-core';
import type * as tf from '@tensorflow/tfjs-core';
import type { AnnBuildOptions, AnnIndex, AnnIndexProvider } from '../model-host';
import { ModelError } from '../model-error';

type AnnModule = typeof import('@empirical-bregman/search/ann');

let loaded: Promise<AnnModule> | null = null;

/**
 * search/ann, imported on first use: `usearch` is an optional peer with a native addon, so importing
 * `@empirical-bregman/model/node` never loads it, and a missing one fails only an ANN call, with `UNAVAILABLE`.
 */
function annModule(component: string): Promise<AnnModule> {
  loaded ??= import('@empirical-bregman/search/ann').catch((error: unknown) => {
    loaded = null;
    throw new ModelError(
      component,
      'UNAVAILABLE',
      `expected the optional peer usearch for ANN indexes (npm i usearch@2.25.3), got ${String(error)}`,
      { cause: error },
    );
  });
  return loaded;
}

/**
 * The ANN provider of Node: search/ann's `BregmanAnnIndex` (usearch HNSW through the Bregman → MIPS → L2
 * reduction, candidates re-scored with the exact D). Used by `nodeHost`.
 */
export const usearchAnn: AnnIndexProvider = {
  async build(divergence: Divergence, items: tf.Tensor2D, options: AnnBuildOptions): Promise<AnnIndex> {
    const { BregmanAnnIndex } = await annModule('usearchAnn.build');
    return BregmanAnnIndex.build(divergence, items, options);
  },
  async load(path: string, divergence: Divergence): Promise<AnnIndex> {
    const { BregmanAnnIndex } = await annModule('usearchAnn.load');
    return BregmanAnnIndex.load(path, { divergence });
  },
};
