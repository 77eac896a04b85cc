import type { QuerySlot } from '@empirical-bregman/bregman-core';

/** `manifest.json`'s `format`. */
export const MODEL_FORMAT = 'empirical-bregman-model';

/** The one `schemaVersion` of `manifest.json` this version of the package reads. */
export const MODEL_SCHEMA_VERSION = 1;

/**
 * How raw input becomes what the trunk takes: a sample is `sampleShape` values as the user has them (pixels 0–255,
 * table cells unscaled); the trunk takes the same shape after x / `divisor` and then z = (x − mean) / std per flattened
 * feature (`standardizer`), in that order (see `preprocess`).
 */
export interface ModelInputSpec {
  /** What a sample is: a table row, an image (height × width × channels), or an array as stored. */
  readonly kind: 'table' | 'image' | 'array';
  /** Shape of ONE raw sample as the user passes it; the trunk's input is [n, ...sampleShape]. */
  readonly sampleShape: readonly number[];
  /** Tables: the columns a row takes, in order (sampleShape is then [featureNames.length]). */
  readonly featureNames?: readonly string[];
  /** z_j = (x_j − mean_j) / std_j per flattened feature j (∏sampleShape values each), before the trunk. */
  readonly standardizer?: { readonly mean: readonly number[]; readonly std: readonly number[] };
  /** Raw values are divided by it before the trunk (e.g. 255 for images given as 0–255). */
  readonly divisor?: number;
}

/**
 * `manifest.json` of a model folder (what `bregman train` writes to `<run>/model/`), schema version 1. Every field
 * is checked when a model is loaded, unknown keys included (a misspelt optional key such as `standardiser` would
 * otherwise silently change the embeddings): see {@link parseModelManifest}.
 */
export interface ModelManifest {
  readonly schemaVersion: typeof MODEL_SCHEMA_VERSION;
  readonly format: typeof MODEL_FORMAT;
  /** ISO 8601 time the model was written. */
  readonly createdAt: string;
  /** What wrote the folder. */
  readonly producer: { readonly name: string; readonly version: string; readonly tfjs: string };
  /** The trunk's tfjs-layers `model.json`, relative to the folder (its weights are named inside it). */
  readonly trunk: string;
  /** The head's `DivergenceJSON` file, relative to the folder (bregman-core's `divergenceFromJSON` reads it). */
  readonly divergence: string;
  /** Width of the trunk's output, the embeddings. */
  readonly embeddingDim: number;
  /** The query slot the model was trained and evaluated with (the default of every search). */
  readonly querySlot: QuerySlot;
  readonly input: ModelInputSpec;
  /** Class names by label index (the training classes). */
  readonly labels: { readonly names: readonly string[] };
  /** The training data: a dataset name or a description, and its SHA-256 fingerprint when known. */
  readonly data: { readonly source: string; readonly fingerprint: string | null };
}
