import * as tf from '@tensorflow/tfjs-core';
import type { Divergence, QuerySlot } from '@empirical-bregman/bregman-core';
import { describeValue } from '@empirical-bregman/common';
import { checkScale, type DivergenceScale, scaleDivisor } from '../utils/divergence-scale';
import type { IndicesTuple } from '../utils/indices-tuple';
import { checkEmbeddings, type LabelsLike, toLabelTensor } from '../utils/labels';
import { LossesError } from '../losses-error';
import { checkDivergence, checkQuerySlot } from '../utils/check-options';
import { queryPairwise } from '../utils/query-pairwise';

/** Options every miner shares. */
export interface MinerOptions {
  /** The divergence to mine with (smaller is closer). Default `SquaredEuclideanDivergence`. Not owned. */
  readonly divergence?: Divergence;
  /** Normalisation of D before margins (see `DivergenceScale`); default `'batch-mean'`, like the losses. */
  readonly scale?: DivergenceScale;
  /** Slot of the anchor (the query) in D (default `'left'`: D(anchor, reference)). */
  readonly querySlot?: QuerySlot;
  /** @deprecated The old name of `querySlot` (still honoured when `querySlot` is absent). */
  readonly anchorSlot?: QuerySlot;
}

/** Optional inputs of `mine`. */
export interface MineOptions {
  /**
   * True when the first n rows of `refEmbeddings` are the embeddings themselves (a memory bank holding the batch
   * at its head, as `CrossBatchMemory` builds it): the self pairs (i, i) are excluded. Default false.
   */
  readonly refStartsWithEmbeddings?: boolean;
}

/** What a miner sees of a batch (valid inside `mine`'s tidy only). */
export interface MinerContext {
  /** D̃(anchor_i, reference_j): [n, m]. */
  readonly d: tf.Tensor2D;
  /** D(anchor_i, reference_j) before the scale: [n, m]. */
  readonly rawD: tf.Tensor2D;
  /** Same label, not self: float 0/1 [n, m]. */
  readonly pos: tf.Tensor2D;
  /** Different label: float 0/1 [n, m]. */
  readonly neg: tf.Tensor2D;
  readonly n: number;
  readonly m: number;
  /** Width of the embeddings. */
  readonly dim: number;
  /** The anchors (rows i) and the references (columns j), for miners that build points from them. */
  readonly embeddings: tf.Tensor2D;
  readonly reference: tf.Tensor2D;
}

/**
 * The base of the miners: builds the divergence matrix with one `pairwise` call (anchor in the chosen slot) and the
 * label masks; subclasses choose pairs or triplets. Mining is data dependent, so `mine` reads its selection back
 * from the backend (outside the differentiated step) and returns int32 tensors the caller owns
 * (`disposeIndices`). No gradient flows through a miner.
 */
export abstract class BaseMiner {
  abstract readonly type: string;
  readonly divergence: Divergence;
  readonly scale: DivergenceScale;
  /** Slot of the anchors (queries) in D. */
  readonly querySlot: QuerySlot;

  protected constructor(component: string, options: MinerOptions, defaultScale: DivergenceScale = 'batch-mean') {
    if (options !== undefined && (options === null || typeof options !== 'object')) {
      throw new LossesError(component, 'INVALID_ARGUMENT', `expected an options object, got ${describeValue(options)}`);
    }
    this.divergence = checkDivergence(component, options?.divergence);
    this.scale = options?.scale === undefined ? defaultScale : checkScale(component, options.scale);
    this.querySlot = checkQuerySlot(component, options);
  }

  /** @deprecated The same as `querySlot`. */
  get anchorSlot(): QuerySlot {
    return this.querySlot;
  }

  /** Chooses the tuple (inside a tidy; returned tensors survive it). */
  protected abstract select(ctx: MinerContext): IndicesTuple;

  /**
   * Mines a batch. Anchors are the embeddings' rows; references are `refEmbeddings` (when given) or the
   * embeddings themselves (self pairs excluded). Returns int32 index tensors the caller owns.
   */
  mine(
    embeddings: tf.Tensor2D,
    labels: LabelsLike,
    refEmbeddings?: tf.Tensor2D,
    refLabels?: LabelsLike,
    options: MineOptions = {},
  ): IndicesTuple {
    const component = `${this.type}.mine`;
    const [n, dim] = checkEmbeddings(component, embeddings);
    const lab = toLabelTensor(component, labels, n);
    let refLab: { tensor: tf.Tensor1D; owned: boolean } | null = null;
    try {
      const hasRef = refEmbeddings !== undefined || refLabels !== undefined;
      if (hasRef) {
        if (refEmbeddings === undefined || refLabels === undefined) {
          throw new LossesError(
            component,
            'INVALID_ARGUMENT',
            'expected refEmbeddings and refLabels together, got only one',
          );
        }
        const [m, w] = checkEmbeddings(component, refEmbeddings, 'refEmbeddings');
        if (w !== dim) {
          throw new LossesError(component, 'INVALID_SHAPE', `expected refEmbeddings of width ${dim}, got width ${w}`);
        }
        refLab = toLabelTensor(component, refLabels, m, 'refLabels');
        if (options.refStartsWithEmbeddings === true && m < n) {
          throw new LossesError(
            component,
            'INVALID_SHAPE',
            `expected at least ${n} refEmbeddings rows with refStartsWithEmbeddings, got ${m}`,
          );
        }
      }
      const selfPairs = !hasRef || options.refStartsWithEmbeddings === true;
      const ref = hasRef ? (refEmbeddings as tf.Tensor2D) : embeddings;
      const refLabelsT = refLab?.tensor ?? lab.tensor;
      return tf.tidy(() => {
        const m = ref.shape[0];
        const rawD = queryPairwise(this.divergence, this.querySlot, embeddings, ref);
        const same = tf.cast(tf.equal(tf.reshape(lab.tensor, [n, 1]), tf.reshape(refLabelsT, [1, m])), 'float32');
        const pos = (selfPairs ? tf.mul(same, tf.sub(1, tf.eye(n, m))) : same) as tf.Tensor2D;
        const neg = tf.sub(1, same) as tf.Tensor2D;
        const s = scaleDivisor(this.scale, rawD, tf.add(pos, neg) as tf.Tensor2D);
        const d = tf.div(rawD, s) as tf.Tensor2D;
        return this.select({
          d,
          rawD,
          pos,
          neg,
          n,
          m,
          dim,
          embeddings,
          reference: ref,
        }) as unknown as tf.TensorContainer;
      }) as unknown as IndicesTuple;
    } finally {
      if (lab.owned) lab.tensor.dispose();
      if (refLab?.owned) refLab.tensor.dispose();
    }
  }
}

/** Row-major indices (i, j) of the nonzero entries of a [rows, cols] mask, read back once (internal). */
export function nonzeroPairs(mask: tf.Tensor, cols: number): { rows: number[]; cols: number[] } {
  const data = mask.dataSync();
  const rows: number[] = [];
  const cs: number[] = [];
  for (let k = 0; k < data.length; k++) {
    if ((data[k] as number) > 0) {
      rows.push(Math.floor(k / cols));
      cs.push(k % cols);
    }
  }
  return { rows, cols: cs };
}
