import type { Divergence, QuerySlot } from '@empirical-bregman/bregman-core';
import { version_core } from '@tensorflow/tfjs-core';
import { CLI_VERSION } from '../../cli-version';
import type { RunConfig } from '../../config/run-config';
import type { ModelInput, PreparedData } from './prepare-data';

/** The file in `<run>/model/` that says how to use the model (read by `@empirical-bregman/model`). */
export const MODEL_MANIFEST = 'manifest.json';

/**
 * `model/manifest.json`, schema version 1: everything needed to turn raw input into embeddings and divergences
 * without the training data — the trunk (`model.json`, tfjs format) and the head (`divergence.json`) files, the raw
 * sample's shape and the preprocessing before the trunk (standardiser, divisor), the class names, the default query
 * slot, and where the data came from (with the SHA-256 fingerprint of users' files). Documented in the CLI's README.
 */
export interface ModelManifest {
  readonly schemaVersion: 1;
  readonly format: 'empirical-bregman-model';
  readonly createdAt: string;
  readonly producer: { readonly name: string; readonly version: string; readonly tfjs: string };
  readonly trunk: 'model.json';
  readonly divergence: 'divergence.json';
  readonly embeddingDim: number;
  readonly querySlot: QuerySlot;
  readonly input: ModelInput;
  readonly labels: { readonly names: readonly string[] };
  readonly data: { readonly source: string; readonly fingerprint: string | null };
}

export function modelManifest(config: RunConfig, data: PreparedData, divergence: Divergence): ModelManifest {
  return {
    schemaVersion: 1,
    format: 'empirical-bregman-model',
    createdAt: new Date().toISOString(),
    producer: { name: '@empirical-bregman/cli', version: CLI_VERSION, tfjs: version_core },
    trunk: 'model.json',
    divergence: 'divergence.json',
    embeddingDim: divergence.dim ?? config.embeddingDim,
    querySlot: 'left',
    input: data.input,
    labels: { names: [...data.classNames] },
    data: { source: data.source.name, fingerprint: data.source.fingerprint },
  };
}
