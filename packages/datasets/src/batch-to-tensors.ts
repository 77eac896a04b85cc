import * as tf from '@tensorflow/tfjs-core';
import { type Batch, gatherBatch, type LabelledData } from './labelled-data';

/** Options of {@link batchToTensors}. */
export interface BatchToTensorsOptions {
  /** Flatten each sample to a vector: x has shape [b, ∏ sampleShape] instead of [b, ...sampleShape]. Default false. */
  readonly flatten?: boolean;
}

/** A batch as tensors. The caller owns both tensors and must dispose them (`tf.dispose(batch)` works). */
export interface TensorBatch {
  /** float32, [b, ...sampleShape] (or [b, D] when flattened). */
  readonly x: tf.Tensor;
  /** int32 labels, [b]. */
  readonly y: tf.Tensor1D;
}

/**
 * Turns a batch (sample indices into `data`, or a {@link Batch} already gathered, e.g. augmented) into tfjs tensors.
 * Creates exactly two tensors, which the caller disposes.
 *
 * ```ts
 * const { x, y } = batchToTensors(data, sampler.nextBatch(), { flatten: true });
 * // … use x, y …
 * tf.dispose([x, y]);
 * ```
 */
export function batchToTensors(
  data: LabelledData,
  batch: ArrayLike<number> | Batch,
  options: BatchToTensorsOptions = {},
): TensorBatch {
  const gathered = 'features' in batch ? batch : gatherBatch(data, batch, 'batchToTensors');
  const b = gathered.labels.length;
  const shape = options.flatten ? [b, gathered.features.length / Math.max(b, 1)] : [b, ...data.sampleShape];
  return { x: tf.tensor(gathered.features, shape, 'float32'), y: tf.tensor1d(gathered.labels, 'int32') };
}
