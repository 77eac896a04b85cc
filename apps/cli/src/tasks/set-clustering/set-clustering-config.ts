import { CliError } from '../../cli-error';
import { type RunConfig, dataParallelWorkers, settingOf } from '../../config/run-config';
import type { Schema } from '../../config/schema';

/** The name of the set-clustering task. */
export const SET_CLUSTERING = 'set-clustering';

/** The data it makes itself: Deep Divergence Learning's Gaussian sets (datasets' `makeGaussianSets`). */
export const GAUSSIAN_SETS = 'gaussian-sets';

/** How two sets are compared, from their pooled (mean) embeddings m_a, m_b. */
export const SET_DIVERGENCES = ['head', 'moment-matching'] as const;
export type SetDivergence = (typeof SET_DIVERGENCES)[number];

/** Set counts when `maxTrainSamples` / `maxEvalSamples` are 0: the paper's 500 training and 200 test sets. */
export const DEFAULT_SET_COUNTS = { train: 500, val: 200, test: 200 } as const;

/** The task's own settings (beside the shared ones; `settingOf(config, key)` reads them). */
export const SET_CLUSTERING_SETTINGS = {
  setDivergence: {
    kind: 'enum',
    values: SET_DIVERGENCES,
    default: 'head',
    doc: 'set-clustering: head (the --divergence head on the pooled embeddings; icnn = learned Bregman, clustered by Bregman k-means) or moment-matching (Deep Divergence Learning: ‖m_a − m_b‖² of the mean embeddings; needs --divergence euclidean)',
  },
  pointsPerSet: {
    kind: 'number',
    integer: true,
    min: 1,
    max: 10_000,
    default: 50,
    doc: 'set-clustering: points drawn from each Gaussian (set)',
  },
} as const satisfies Schema;

/** The set-divergence setting of a validated config. */
export function setDivergenceOf(config: RunConfig): SetDivergence {
  return settingOf<SetDivergence>(config, 'setDivergence') ?? 'head';
}

/** Points per set of a validated config. */
export function pointsPerSetOf(config: RunConfig): number {
  return settingOf<number>(config, 'pointsPerSet') ?? 50;
}

/**
 * Settings of a set-clustering run that differ from the retrieval defaults (for the keys a config does not set).
 * Published (Cilingir et al. 2020, and the public reproduction tam17aki/deep_divergence_practice): a 2-D embedding,
 * batches of 32 sets, a triplet loss with margin 0.2 over every valid triplet, no weight decay, 50 epochs of an MLP
 * 2→1000→500→2 at Adam 1e-4. Ours keeps the embedding, batches, loss and margin, and trains a smaller MLP
 * (2→128→64→2) faster, at Adam 1e-3, for 20 epochs with early stopping on the validation sets' ARI: the published
 * trunk costs minutes per trial on two shared cores (`--hidden 1000,500 --learning-rate 1e-4 --epochs 50` runs it).
 * Moment matching has no head, so its default head is the fixed euclidean one (the row is labelled moment matching).
 */
export function setClusteringDefaults(raw: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return {
    protocol: 'closed-set',
    embeddingDim: 2,
    hidden: [128, 64],
    batchSize: 32,
    loss: 'triplet',
    margin: 0.2,
    weightDecay: 0,
    epochs: 20,
    patience: 5,
    ...(raw.setDivergence === 'moment-matching' ? { divergence: 'euclidean' } : {}),
  };
}

/** Rejects settings a set-clustering run cannot honour, with one line naming the key and what is allowed. */
export function checkSetClusteringConfig(config: RunConfig, where: string): void {
  const fail = (message: string): never => {
    throw new CliError(where, 'INVALID_ARGUMENT', message);
  };
  if (config.dataset !== GAUSSIAN_SETS)
    fail(
      `"dataset" must be ${GAUSSIAN_SETS} for task ${SET_CLUSTERING} (it makes its own sets); got ${JSON.stringify(config.dataset)}`,
    );
  if (config.protocol !== 'closed-set')
    fail(
      `"protocol" must be closed-set for task ${SET_CLUSTERING} (the test sets are drawn from the same circles); got ${JSON.stringify(config.protocol)}`,
    );
  if (config.trunk !== 'auto' && config.trunk !== 'mlp')
    fail(
      `"trunk" must be auto or mlp for task ${SET_CLUSTERING} (each point is a 2-D vector); got ${JSON.stringify(config.trunk)}`,
    );
  if (config.loss !== 'triplet')
    fail(
      `"loss" must be triplet for task ${SET_CLUSTERING} (Deep Divergence Learning's loss over sets); got ${JSON.stringify(config.loss)}`,
    );
  if (config.miner !== 'none')
    fail(
      `"miner" must be none for task ${SET_CLUSTERING} (every valid triplet of the batch is used); got ${JSON.stringify(config.miner)}`,
    );
  if (setDivergenceOf(config) === 'moment-matching' && config.divergence !== 'euclidean')
    fail(
      `"divergence" must be euclidean with setDivergence moment-matching (it has no head); got ${JSON.stringify(config.divergence)}`,
    );
  if (dataParallelWorkers(config) > 1)
    fail(`expected dataParallel 1 for task ${SET_CLUSTERING} (it trains in this thread), got ${config.dataParallel}`);
}
