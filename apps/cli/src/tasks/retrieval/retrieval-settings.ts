import { AngularMiner } from '@empirical-bregman/losses';
import { CliError } from '../../cli-error';
import { type RunConfig, settingOf } from '../../config/run-config';
import type { Schema } from '../../config/schema';
import {
  LOSSES,
  type LossEntry,
  REDUCERS,
  REDUCER_NAMES,
  type ReducerEntry,
  REGULARIZERS,
  REGULARIZER_NAMES,
  type ReducerName,
  type RegularizerEntry,
  type RegularizerName,
  lossEntry,
} from './loss-registry';

/**
 * The retrieval task's own settings (`bregman train` flags, accepted only in retrieval configs). None has a default:
 * a config holds a key only when it is set, so the configs, queue job ids and run folders of runs that do not use
 * them are the same as before the keys existed.
 */
export const RETRIEVAL_SETTINGS = {
  reducer: {
    kind: 'enum',
    values: REDUCER_NAMES,
    doc: "how the loss's per-element values become one number (default: the loss's own reducer)",
  },
  regularizer: {
    kind: 'enum',
    values: REGULARIZER_NAMES,
    doc: `penalty added to the loss: on the embeddings (${namesOn('embeddings')}, any loss) or on the class weights (${namesOn('weights')}, losses with class weights; sparse-centers: sub-center-arc-face, soft-triple) (default: none)`,
  },
  regularizerWeight: {
    kind: 'number',
    above: 0,
    doc: 'weight of --regularizer in the loss (default 1)',
  },
  // A size rather than a loss name: the memory wraps any loss that compares with a reference set, so it composes with
  // every such loss and miner (`--loss contrastive --memory-size 1024`, the paper's setting) without one name each.
  memorySize: {
    kind: 'number',
    integer: true,
    min: 1,
    max: 65_536,
    doc: 'cross-batch memory (Wang et al. 2020): compare each batch with the last N embeddings (≥ --batch-size; not with losses that have class weights; the miner then mines batch × memory) (default: off)',
  },
} as const satisfies Schema;

function namesOn(on: RegularizerEntry['on']): string {
  return Object.entries(REGULARIZERS as Readonly<Record<string, RegularizerEntry>>)
    .filter(([, e]) => e.on === on)
    .map(([name]) => name)
    .join(', ');
}

/** The loss settings of a retrieval config (absent: the loss's reducer, no regularizer, no memory). */
export interface LossSettings {
  readonly reducer?: ReducerName;
  readonly regularizer?: RegularizerName;
  /** 1 when absent. */
  readonly regularizerWeight: number;
  readonly memorySize?: number;
}

export function lossSettingsOf(config: RunConfig): LossSettings {
  const reducer = settingOf<ReducerName>(config, 'reducer');
  const regularizer = settingOf<RegularizerName>(config, 'regularizer');
  const memorySize = settingOf<number>(config, 'memorySize');
  return {
    ...(reducer !== undefined ? { reducer } : {}),
    ...(regularizer !== undefined ? { regularizer } : {}),
    regularizerWeight: settingOf<number>(config, 'regularizerWeight') ?? 1,
    ...(memorySize !== undefined ? { memorySize } : {}),
  };
}

/** The registered losses that satisfy `test`, for messages ("…, got "loss" triplet"). */
function lossesWhere(test: (entry: LossEntry) => boolean): string {
  return Object.entries(LOSSES as Readonly<Record<string, LossEntry>>)
    .filter(([, e]) => test(e))
    .map(([name]) => name)
    .join(', ');
}

/**
 * Rejects loss settings that cannot train together, before any work, with one line naming the keys: an angular loss
 * on another divergence head, a miner for a loss that forms its own pairs or has class weights, a per-anchor
 * reducer for a loss without anchors, a weight regularizer
 * on a loss without weights, cross-batch memory for a loss whose reference set is its weights or smaller than a
 * batch, the angular miner beyond its n·m² bound. (Unknown names are the schema's: "must be one of …".)
 */
export function checkLossConfig(config: RunConfig, where: string): void {
  const fail = (message: string): never => {
    throw new CliError(where, 'INVALID_ARGUMENT', message);
  };
  const loss = lossEntry(config.loss);
  if (loss.needsDivergence !== undefined && config.divergence !== loss.needsDivergence)
    fail(
      `expected "divergence" ${loss.needsDivergence} for "loss" ${config.loss} (its margin is an angle), got ${config.divergence}`,
    );
  if (config.miner !== 'none' && !loss.acceptsMiner)
    fail(
      `expected a "loss" that takes mined pairs or triplets for "miner" ${config.miner} (${lossesWhere((e) => e.acceptsMiner)}), got "loss" ${config.loss}`,
    );
  const settings = lossSettingsOf(config);
  if (settings.reducer !== undefined) {
    const reducer: ReducerEntry = REDUCERS[settings.reducer];
    const hasAnchors = (e: LossEntry) => e.noAnchors !== true;
    if (reducer.needsAnchors && !hasAnchors(loss))
      fail(
        `expected a "loss" whose elements have anchors for "reducer" ${settings.reducer} (${lossesWhere(hasAnchors)}), got "loss" ${config.loss}`,
      );
  }
  if (settingOf(config, 'regularizerWeight') !== undefined && settings.regularizer === undefined)
    fail('expected "regularizerWeight" only with "regularizer", got it without');
  if (settings.regularizer !== undefined) {
    const regularizer: RegularizerEntry = REGULARIZERS[settings.regularizer];
    if (regularizer.on === 'weights' && loss.classWeights === undefined)
      fail(
        `expected a "loss" with class weights for "regularizer" ${settings.regularizer} (${lossesWhere((e) => e.classWeights !== undefined)}), got "loss" ${config.loss}`,
      );
    if (regularizer.needsCenters && (loss.classWeights?.centersPerClass ?? 1) < 2)
      fail(
        `expected a "loss" with several centers per class for "regularizer" ${settings.regularizer} (${lossesWhere((e) => (e.classWeights?.centersPerClass ?? 1) > 1)}), got "loss" ${config.loss}`,
      );
  }
  if (settings.memorySize !== undefined) {
    if (loss.classWeights !== undefined)
      fail(
        `expected a "loss" that compares a batch with other embeddings for "memorySize", got "loss" ${config.loss} (its class weights are its reference set)`,
      );
    if (settings.memorySize < config.batchSize)
      fail(`expected "memorySize" ≥ "batchSize" ${config.batchSize} (a batch must fit), got ${settings.memorySize}`);
  }
  if (config.miner === 'angular') {
    // The angular miner weighs every (anchor, positive, negative): n·m² candidates, the losses package's bound.
    const m = settings.memorySize ?? config.batchSize;
    const candidates = config.batchSize * m * m;
    if (candidates > AngularMiner.MAX_CANDIDATES)
      fail(
        `expected "batchSize" × "memorySize"² ≤ ${AngularMiner.MAX_CANDIDATES} for "miner" angular (it weighs every anchor, positive and negative), got ${config.batchSize} × ${m}² = ${candidates}`,
      );
  }
}
