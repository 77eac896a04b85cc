import { SeededRandom, type SeededRandomState } from '@empirical-bregman/common';
import { type Batch, gatherBatch, type LabelledData } from './labelled-data';
import type { MPerClassSampler, MPerClassSamplerState } from './m-per-class-sampler';
import { type RandomShiftOptions, randomShift } from './random-shift';

/** Options of {@link BatchStream}. */
export interface BatchStreamOptions {
  /** Augment image batches with {@link randomShift}; omit for no augmentation. */
  readonly augment?: RandomShiftOptions;
  /** Seed of the augmentation draws. Default 0. */
  readonly seed?: number | string;
}

/** The resumable state of a {@link BatchStream}. */
export interface BatchStreamState {
  readonly sampler: MPerClassSamplerState;
  readonly augment: SeededRandomState;
}

/**
 * Streaming training batches: indices from an {@link MPerClassSampler}, samples copied out of the dataset, optionally
 * augmented. Its state (sampler + augmentation generator) is saved with a checkpoint so a resumed run sees exactly
 * the same batches.
 *
 * ```ts
 * const stream = new BatchStream(data, new MPerClassSampler(data.labels, 4, 32, { seed: 1 }), { augment: { maxShift: 2 } });
 * const { x, y } = batchToTensors(data, stream.next());
 * ```
 */
export class BatchStream {
  private readonly rng: SeededRandom;

  constructor(
    readonly data: LabelledData,
    readonly sampler: MPerClassSampler,
    private readonly options: BatchStreamOptions = {},
  ) {
    this.rng = new SeededRandom(options.seed ?? 0);
  }

  /** The next batch (a fresh copy; augmented if requested). */
  next(): Batch {
    const batch = gatherBatch(this.data, this.sampler.nextBatch(), 'BatchStream.next');
    if (!this.options.augment) return batch;
    return { ...batch, features: randomShift(batch.features, this.data.sampleShape, this.rng, this.options.augment) };
  }

  getState(): BatchStreamState {
    return { sampler: this.sampler.getState(), augment: this.rng.getState() };
  }

  setState(state: BatchStreamState): void {
    this.sampler.setState(state.sampler);
    this.rng.setState(state.augment);
  }
}
