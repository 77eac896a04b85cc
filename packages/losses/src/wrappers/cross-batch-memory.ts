import * as tf from '@tensorflow/tfjs-core';
import { describeValue } from '@empirical-bregman/common';
import { LossesError } from '../losses-error';
import type { ComputeOptions } from '../losses/metric-loss';
import { checkPositiveInteger } from '../utils/check-options';
import { disposeIndices } from '../utils/indices-tuple';
import { checkEmbeddings, type LabelsLike, toLabelTensor } from '../utils/labels';
import { stopGradient } from '../utils/masked-ops';
import type { LossFunction, Miner } from './loss-function';

export interface CrossBatchMemoryOptions {
  /** The loss computed between the batch and the memory (it must accept a reference set). Not owned. */
  readonly loss: LossFunction;
  /** Rows kept (default 1024, PML's `memory_size`); a batch may not exceed it. */
  readonly memorySize?: number;
  /** Width of the embeddings (optional: checked when given, else set by the first batch). */
  readonly embeddingSize?: number;
  /** Mines the batch against the memory (the self pairs excluded); none: every pair is used. Not owned. */
  readonly miner?: Miner;
}

/**
 * Cross-batch memory (Wang et al. 2020, "Cross-batch memory for embedding learning", CVPR; PML's
 * CrossBatchMemory): a first-in-first-out bank of the last `memorySize` embeddings and labels, against which each
 * batch is compared. `compute(x, labels)` puts the batch (detached) at the head of the bank (dropping the oldest rows beyond `memorySize`, the batch included, as
 * PML), then evaluates
 * `loss.compute(x, labels, { refEmbeddings: bank, refLabels, refStartsWithEmbeddings: true })`: anchors are the
 * live batch, references the bank (the batch itself included, its self pairs excluded), so gradients flow through
 * the anchors (and the divergence) only, as in PML. The first call, with an empty bank, is the in-batch loss.
 *
 * What is stale: the bank stores embeddings, i.e. the outputs of the embedding network at the step they were
 * computed, which drift as the network trains (the paper's "feature drift"; keep the memory a few batches long
 * while the network changes fast). The divergence is not stored: D_φ(anchor, stored row) is recomputed every step
 * with the current φ, so a learned Bregman divergence is never stale, unless φ itself produces the embeddings.
 *
 * Tensor lifetime: the wrapper owns its bank (`dispose()`, `reset()`); not the loss nor the miner. Differences from
 * PML: no `enqueue_idx` (every row of the batch is enqueued); a user `indicesTuple` indexes the references
 * [batch; bank] and is used instead of the miner's (PML concatenates them).
 *
 *   const xbm = new CrossBatchMemory({ loss: new ContrastiveLoss(), memorySize: 256 });
 *   optimizer.minimize(() => xbm.compute(embed(x), labels));
 */
export class CrossBatchMemory implements LossFunction {
  readonly type = 'CrossBatchMemory';
  readonly loss: LossFunction;
  readonly miner: Miner | null;
  readonly memorySize: number;
  private width: number | null;
  private bank: tf.Tensor2D | null = null;
  private bankLabels: tf.Tensor1D | null = null;

  constructor(options: CrossBatchMemoryOptions) {
    const loss = (options as Partial<CrossBatchMemoryOptions> | undefined)?.loss;
    if (typeof (loss as Partial<LossFunction> | undefined)?.compute !== 'function') {
      throw new LossesError(
        'CrossBatchMemory',
        'INVALID_ARGUMENT',
        `expected loss to be a loss, got ${describeValue(loss)}`,
      );
    }
    if (options.miner !== undefined && typeof (options.miner as Partial<Miner>)?.mine !== 'function') {
      throw new LossesError(
        'CrossBatchMemory',
        'INVALID_ARGUMENT',
        `expected miner to be a miner, got ${describeValue(options.miner)}`,
      );
    }
    this.loss = loss as LossFunction;
    this.miner = options.miner ?? null;
    this.memorySize = checkPositiveInteger('CrossBatchMemory', 'memorySize', options.memorySize ?? 1024);
    this.width =
      options.embeddingSize === undefined
        ? null
        : checkPositiveInteger('CrossBatchMemory', 'embeddingSize', options.embeddingSize);
  }

  /** Rows currently in the memory (0 … memorySize). */
  get filled(): number {
    return this.bank?.shape[0] ?? 0;
  }

  get trainableVariables(): tf.Variable[] {
    return this.loss.trainableVariables;
  }

  /**
   * The loss of the batch against the memory (after enqueuing the batch): a scalar the caller owns.
   *
   * @param options `indicesTuple` over the references [batch; memory] (instead of the miner's); no reference set.
   */
  compute(embeddings: tf.Tensor2D, labels: LabelsLike, options: ComputeOptions = {}): tf.Scalar {
    const component = 'CrossBatchMemory.compute';
    const [n, w] = checkEmbeddings(component, embeddings);
    if (options.refEmbeddings !== undefined || options.refLabels !== undefined) {
      throw new LossesError(
        component,
        'INVALID_ARGUMENT',
        'expected no refEmbeddings (the memory is the reference set), got one',
      );
    }
    if (this.width !== null && w !== this.width) {
      throw new LossesError(component, 'INVALID_SHAPE', `expected embeddings of width ${this.width}, got width ${w}`);
    }
    if (n > this.memorySize) {
      throw new LossesError(
        component,
        'INVALID_SHAPE',
        `expected at most memorySize ${this.memorySize} rows, got ${n}`,
      );
    }
    const lab = toLabelTensor(component, labels, n);
    let tuple = options.indicesTuple;
    let mined = false;
    let kept = false;
    try {
      // The references: the batch (values only, no gradient) at the head, then the memory, newest first.
      const { ref, refLabels } = tf.tidy(() => {
        // memorySize rows in all, the batch included (PML): the oldest rows beyond it are dropped.
        const older = Math.min(this.filled, this.memorySize - n);
        const head = stopGradient(embeddings) as tf.Tensor2D;
        const r =
          this.bank === null || older === 0
            ? head
            : (tf.concat([head, tf.slice(this.bank, [0, 0], [older, w])], 0) as tf.Tensor2D);
        const l =
          this.bankLabels === null || older === 0
            ? tf.clone(lab.tensor)
            : (tf.concat([lab.tensor, tf.slice(this.bankLabels, [0], [older])]) as tf.Tensor1D);
        // Kept: they become the memory, which must outlive any tidy the caller runs compute in.
        return { ref: tf.keep(r), refLabels: tf.keep(l) };
      });
      try {
        if (tuple === undefined && this.miner !== null) {
          tuple = this.miner.mine(embeddings, lab.tensor, ref, refLabels, { refStartsWithEmbeddings: true });
          mined = true;
        }
        const loss = this.loss.compute(embeddings, lab.tensor, {
          indicesTuple: tuple,
          refEmbeddings: ref,
          refLabels,
          refStartsWithEmbeddings: true,
        });
        // Only now, once the loss was computed without error, does the memory advance.
        // The references are the new memory (≤ memorySize rows by construction).
        this.reset();
        this.bank = ref;
        this.bankLabels = refLabels;
        kept = true;
        this.width = w;
        return loss;
      } finally {
        if (!kept) tf.dispose([ref, refLabels]);
      }
    } finally {
      if (mined && tuple !== undefined) disposeIndices(tuple);
      if (lab.owned) lab.tensor.dispose();
    }
  }

  /**
   * The memory as plain arrays, newest row first (a checkpoint's copy; reads the backend, so call it between steps):
   * `embeddings` [rows · width] and `labels` [rows]; rows 0 when empty.
   */
  memoryArrays(): { readonly rows: number; readonly width: number; embeddings: Float32Array; labels: Int32Array } {
    const rows = this.filled;
    const width = this.bank?.shape[1] ?? this.width ?? 0;
    if (this.bank === null || this.bankLabels === null)
      return { rows: 0, width, embeddings: new Float32Array(0), labels: new Int32Array(0) };
    return {
      rows,
      width,
      embeddings: Float32Array.from(this.bank.dataSync() as Float32Array),
      labels: Int32Array.from(this.bankLabels.dataSync()),
    };
  }

  /**
   * Puts back what {@link memoryArrays} gave (resuming a run: the memory is part of the training state, so a resumed
   * run sees the same references as an uninterrupted one).
   */
  restoreMemory(saved: {
    readonly rows: number;
    readonly width: number;
    embeddings: ArrayLike<number>;
    labels: ArrayLike<number>;
  }): void {
    const component = 'CrossBatchMemory.restoreMemory';
    const { rows, width } = saved;
    if (!Number.isInteger(rows) || rows < 0 || rows > this.memorySize)
      throw new LossesError(
        component,
        'INVALID_ARGUMENT',
        `expected 0 … ${this.memorySize} rows, got ${describeValue(rows)}`,
      );
    if (rows > 0 && this.width !== null && width !== this.width)
      throw new LossesError(component, 'INVALID_SHAPE', `expected rows of width ${this.width}, got width ${width}`);
    if (saved.embeddings.length !== rows * width || saved.labels.length !== rows)
      throw new LossesError(
        component,
        'INVALID_SHAPE',
        `expected ${rows}·${width} embedding values and ${rows} labels, got ${saved.embeddings.length} and ${saved.labels.length}`,
      );
    this.reset();
    if (rows === 0) return;
    this.bank = tf.tensor2d(Float32Array.from(saved.embeddings), [rows, width]);
    this.bankLabels = tf.tensor1d(Int32Array.from(saved.labels), 'int32');
    this.width = width;
  }

  /** Empties the memory (the embedding width stays). */
  reset(): void {
    this.bank?.dispose();
    this.bankLabels?.dispose();
    this.bank = null;
    this.bankLabels = null;
  }

  /** Frees the memory (not the loss or the miner). */
  dispose(): void {
    this.reset();
  }
}
