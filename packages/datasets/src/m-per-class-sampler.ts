import { SeededRandom, type SeededRandomState } from '@empirical-bregman/common';
import { DatasetError } from './dataset-error';

/** Options of {@link MPerClassSampler}. */
export interface MPerClassSamplerOptions {
  /** Seed (a number or a string). Default 0. */
  readonly seed?: number | string;
  /** Sample only from these dataset indices (e.g. `classDisjointSplit(labels).trainVal`). Default: all. */
  readonly indices?: ArrayLike<number>;
}

/** The resumable state of an {@link MPerClassSampler}: JSON-serialisable, saved with a checkpoint. */
export interface MPerClassSamplerState {
  readonly m: number;
  readonly batchSize: number;
  /** Generator state at the start of the current epoch (the epoch's plan is rebuilt from it). */
  readonly epochStart: SeededRandomState;
  /** Epochs completed before the current one. */
  readonly epoch: number;
  /** Batches of the current epoch already handed out. */
  readonly batch: number;
}

/**
 * Batches for metric learning with m samples of each of batchSize/m classes, so every batch has positives and
 * negatives for every anchor (the "m per class" sampler of pytorch-metric-learning; the P × K batches of Hermans,
 * Beyer & Leibe, "In Defense of the Triplet Loss", 2017).
 *
 * An epoch: each class c's samples are shuffled and cut into ⌈n_c/m⌉ chunks of m (a short last chunk is completed
 * with distinct random samples of the same class); batches then repeatedly take one chunk from each of the
 * batchSize/m classes with the most chunks left (ties broken at random), topping up with fresh random chunks of other
 * classes when fewer classes have chunks left. So every sample appears at least once per epoch, each batch holds
 * exactly m samples (distinct) of each of batchSize/m distinct classes, and no class is starved.
 *
 * Everything is drawn from a {@link SeededRandom}; `getState()` / `setState()` let a resumed run see the same batches.
 *
 * ```ts
 * const sampler = new MPerClassSampler(data.labels, 4, 32, { seed: 1 });
 * const indices = sampler.nextBatch();   // 32 dataset indices: 4 each of 8 classes
 * const saved = sampler.getState();      // store with the checkpoint
 * ```
 */
export class MPerClassSampler {
  /** Number of distinct classes in each batch, batchSize/m. */
  readonly classesPerBatch: number;
  private readonly members: Int32Array[];
  private readonly rng: SeededRandom;
  private epochStart: SeededRandomState;
  private plan: Int32Array[];
  private epochCount = 0;
  private position = 0;

  /**
   * @param labels integer class label of every sample of the dataset.
   * @param m samples per class in each batch (≥ 1); every sampled class needs at least m samples.
   * @param batchSize samples per batch, a multiple of m; the dataset needs at least batchSize/m classes.
   */
  constructor(
    labels: ArrayLike<number>,
    readonly m: number,
    readonly batchSize: number,
    options: MPerClassSamplerOptions = {},
  ) {
    const component = 'MPerClassSampler';
    if (!Number.isInteger(m) || m < 1) {
      throw new DatasetError(component, 'INVALID_ARGUMENT', `expected an integer m >= 1, got ${m}`);
    }
    if (!Number.isInteger(batchSize) || batchSize < m || batchSize % m !== 0) {
      throw new DatasetError(
        component,
        'INVALID_ARGUMENT',
        `expected batchSize a positive multiple of m = ${m}, got ${batchSize}`,
      );
    }
    this.classesPerBatch = batchSize / m;
    const byClass = new Map<number, number[]>();
    const indices = options.indices ?? Int32Array.from({ length: labels.length }, (_, i) => i);
    for (let j = 0; j < indices.length; j++) {
      const i = indices[j];
      if (!Number.isInteger(i) || i < 0 || i >= labels.length) {
        throw new DatasetError(component, 'INVALID_ARGUMENT', `expected indices in [0, ${labels.length}), got ${i}`);
      }
      const list = byClass.get(labels[i]);
      if (list) list.push(i);
      else byClass.set(labels[i], [i]);
    }
    const classes = [...byClass.keys()].sort((a, b) => a - b);
    if (classes.length < this.classesPerBatch) {
      throw new DatasetError(
        component,
        'INVALID_ARGUMENT',
        `expected at least batchSize/m = ${batchSize}/${m} = ${this.classesPerBatch} classes, got ${classes.length}`,
      );
    }
    const small = classes.filter((c) => byClass.get(c)!.length < m);
    if (small.length > 0) {
      const c = small[0];
      throw new DatasetError(
        component,
        'INVALID_ARGUMENT',
        `expected at least m = ${m} samples in every class, got ${byClass.get(c)!.length} in class ${c}` +
          (small.length > 1 ? ` (and ${small.length - 1} more classes too small)` : '') +
          '; lower m or drop those classes with the indices option',
      );
    }
    this.members = classes.map((c) => Int32Array.from(byClass.get(c)!));
    this.rng = new SeededRandom(options.seed ?? 0);
    this.epochStart = this.rng.getState();
    this.plan = this.planEpoch();
  }

  /** Epochs completed so far. */
  get epoch(): number {
    return this.epochCount;
  }

  /** Number of batches in the current epoch. */
  get batchesInEpoch(): number {
    return this.plan.length;
  }

  /** Batches of the current epoch already handed out. */
  get batchInEpoch(): number {
    return this.position;
  }

  /** The next batch of `batchSize` dataset indices, grouped by class (m consecutive indices share a label). */
  nextBatch(): Int32Array {
    if (this.position >= this.plan.length) {
      this.epochCount++;
      this.epochStart = this.rng.getState();
      this.plan = this.planEpoch();
      this.position = 0;
    }
    return this.plan[this.position++].slice();
  }

  getState(): MPerClassSamplerState {
    return {
      m: this.m,
      batchSize: this.batchSize,
      epochStart: this.epochStart,
      epoch: this.epochCount,
      batch: this.position,
    };
  }

  /** Restores a state saved by {@link getState} on a sampler built from the same labels, m and batchSize. */
  setState(state: MPerClassSamplerState): void {
    if (state?.m !== this.m || state.batchSize !== this.batchSize) {
      throw new DatasetError(
        'MPerClassSampler.setState',
        'INVALID_ARGUMENT',
        `expected a state saved with m = ${this.m} and batchSize = ${this.batchSize}, got m = ${state?.m} and batchSize = ${state?.batchSize}`,
      );
    }
    this.rng.setState(state.epochStart);
    this.epochStart = state.epochStart;
    this.plan = this.planEpoch();
    if (!Number.isInteger(state.batch) || state.batch < 0 || state.batch > this.plan.length) {
      throw new DatasetError(
        'MPerClassSampler.setState',
        'INVALID_ARGUMENT',
        `expected a batch position in [0, ${this.plan.length}], got ${state.batch}`,
      );
    }
    this.epochCount = state.epoch;
    this.position = state.batch;
  }

  /** m distinct random samples of class slot `c`. */
  private freshChunk(c: number): Int32Array {
    const pool = this.members[c];
    return this.rng.sample(pool.length, this.m).map((j) => pool[j]);
  }

  private planEpoch(): Int32Array[] {
    const { m, rng } = this;
    const k = this.classesPerBatch;
    const numClasses = this.members.length;
    const chunks: Int32Array[][] = [];
    for (let c = 0; c < numClasses; c++) {
      const perm = rng.shuffle(this.members[c].slice());
      const list: Int32Array[] = [];
      for (let start = 0; start < perm.length; start += m) {
        const chunk = new Int32Array(m);
        const tail = perm.subarray(start, Math.min(start + m, perm.length));
        chunk.set(tail);
        if (tail.length < m) {
          // Complete with distinct samples from earlier chunks (start >= m here, since n_c >= m).
          const extra = rng.sample(start, m - tail.length);
          for (let j = 0; j < extra.length; j++) chunk[tail.length + j] = perm[extra[j]];
        }
        list.push(chunk);
      }
      chunks.push(list);
    }
    const batches: Int32Array[] = [];
    const order = Array.from({ length: numClasses }, (_, c) => c);
    for (;;) {
      rng.shuffle(order);
      // Stable sort: the most remaining chunks first, random among equals.
      const ranked = order.slice().sort((a, b) => chunks[b].length - chunks[a].length);
      if (chunks[ranked[0]].length === 0) break;
      const batch = new Int32Array(k * m);
      for (let j = 0; j < k; j++) {
        const c = ranked[j];
        batch.set(chunks[c].length > 0 ? chunks[c].pop()! : this.freshChunk(c), j * m);
      }
      batches.push(batch);
    }
    return batches;
  }
}
