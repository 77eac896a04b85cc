import type * as tf from '@tensorflow/tfjs-core';
import type { Divergence } from '@empirical-bregman/bregman-core';
import type { ModelHost } from './model-host';
import type { ModelTarget } from './model-location';
import type { ModelManifest } from './model-manifest';
import type { RawInput } from './raw-input';

/** Options of the embedding calls. */
export interface EmbedOptions {
  /** Samples per trunk call (default 256): bounds the memory of one step, not the result. */
  readonly batchSize?: number;
}

/**
 * What an index needs of its model: `BregmanModel` is one. (An interface, so that the index does not import the
 * model class that builds it.)
 */
export interface IndexableModel {
  readonly manifest: ModelManifest;
  /** The divergence head, on embeddings. */
  readonly head: Divergence;
  /** The platform the model was loaded with (folders, ANN), if any. */
  readonly host: ModelHost | undefined;
  embed(raw: RawInput, options?: EmbedOptions): tf.Tensor2D;
  embedArray(raw: RawInput, options?: EmbedOptions): Promise<Float32Array>;
  /** The name of a class label (`manifest.labels.names[label]`, else the number). */
  labelName(label: number): string;
  /** SHA-256 identifying the model's files. */
  fingerprint(): Promise<string>;
  /** Writes the model's folder. */
  save(target: ModelTarget): Promise<void>;
}
