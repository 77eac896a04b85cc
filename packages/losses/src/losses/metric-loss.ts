import * as tf from '@tensorflow/tfjs-core';
import type { Divergence, QuerySlot } from '@empirical-bregman/bregman-core';
import { describeValue } from '@empirical-bregman/common';
import { ensureGradients } from '@empirical-bregman/convex-net';
import { checkDivergence, checkNumber, checkQuerySlot } from '../utils/check-options';
import { checkScale, type DivergenceScale, scaleDivisor } from '../utils/divergence-scale';
import { checkIndices, type IndicesTuple, type TripletIndices } from '../utils/indices-tuple';
import { checkEmbeddings, type LabelsLike, toLabelTensor } from '../utils/labels';
import { LossesError } from '../losses-error';
import { connectedZero, count, indexMask, isOn, maskedMean } from '../utils/masked-ops';
import { queryPairwise } from '../utils/query-pairwise';
import type { LossTerm } from './loss-term';
import { reductionInfo } from '../utils/reduction-info';

export type { LossTerm } from './loss-term';
import type { Reducer } from '../reducers/reducer';
import type { Regularizer } from '../regularizers/regularizer';

/**
 * @deprecated Use `QuerySlot` from `@empirical-bregman/bregman-core` (the same type): a loss's anchor plays the query.
 */
export type AnchorSlot = QuerySlot;

/** Options every loss shares. */
export interface MetricLossOptions {
  /** The "distance object" (smaller is closer). Default: `SquaredEuclideanDivergence`. The loss does not own it. */
  readonly divergence?: Divergence;
  /** How per-element losses become one number. Default: the loss's own (see its doc). */
  readonly reducer?: Reducer;
  /** Normalisation of D before margins/temperatures (see `DivergenceScale`). Default `'batch-mean'`. */
  readonly scale?: DivergenceScale;
  /**
   * Slot of the anchor (the query) in an asymmetric D: `'left'` (default) uses D(anchor, reference) =
   * `pairwise(embeddings, reference)`, `'right'` uses D(reference, anchor). Irrelevant for symmetric divergences.
   */
  readonly querySlot?: QuerySlot;
  /** @deprecated The old name of `querySlot` (still honoured when `querySlot` is absent). */
  readonly anchorSlot?: QuerySlot;
  /**
   * A penalty on the batch's embeddings (not on a reference set), added to the loss times `embeddingRegWeight`
   * (PML's `embedding_regularizer`), e.g. `new LpRegularizer()`. Default: none.
   */
  readonly embeddingRegularizer?: Regularizer;
  /** Weight of the embedding regularizer (default 1, as PML's `embedding_reg_weight`). */
  readonly embeddingRegWeight?: number;
  /**
   * A penalty on the loss's class weights / proxies ([C, d] rows, or [C·K, d] with K centers per class), added times
   * `weightRegWeight` (PML's `weight_regularizer`). Only for losses that have weights (proxy and classification
   * losses); `compute` refuses it on the others. Default: none.
   */
  readonly weightRegularizer?: Regularizer;
  /** Weight of the weight regularizer (default 1, as PML's `weight_reg_weight`). */
  readonly weightRegWeight?: number;
}

/** Optional inputs of `compute`. */
export interface ComputeOptions {
  /** Mined pairs or triplets to restrict the loss to (pairs ↔ triplets are converted with masks). */
  readonly indicesTuple?: IndicesTuple;
  /** A reference set (e.g. a memory bank): anchors are the embeddings, references these rows. No self pairs. */
  readonly refEmbeddings?: tf.Tensor2D;
  /** Labels of `refEmbeddings` (required with it). */
  readonly refLabels?: LabelsLike;
  /**
   * True when the first n rows of `refEmbeddings` are the embeddings themselves (e.g. a memory bank that already
   * holds the batch at its head, as `CrossBatchMemory` builds it): the n self pairs (i, i) are then treated as
   * without a reference set: in neither the positives nor the negatives, and given to the loss as `LossContext.self`
   * (InstanceLoss's own-instance target). Default false.
   */
  readonly refStartsWithEmbeddings?: boolean;
}

/** Logging numbers of the last `compute` (read back on access, never during the step). */
export interface LossStats {
  /** The loss value. */
  readonly loss: number;
  /** Elements (pairs, triplets, anchors or proxies, by loss) that exist in the batch. */
  readonly elements: number;
  /** Elements with a positive loss (active pairs/triplets). */
  readonly activeElements: number;
  /** Positive pairs used. */
  readonly positivePairs: number;
  /** Negative pairs used. */
  readonly negativePairs: number;
  /** Mean raw divergence D over the positive pairs used (0 if none). */
  readonly meanPositive: number;
  /** Mean raw divergence D over the negative pairs used (0 if none). */
  readonly meanNegative: number;
  /** The divisor s of D̃ = D / s (1 for scale `'none'`). */
  readonly scale: number;
}

/**
 * Everything a loss needs about a batch (valid inside `compute`'s tidy only). Rows i are anchors (the embeddings),
 * columns j references (the embeddings again, a reference set, or proxies).
 */
export interface LossContext {
  readonly divergence: Divergence;
  /** Slot of the anchors in D (see `MetricLossOptions.querySlot`). */
  readonly querySlot: QuerySlot;
  /** @deprecated The same as `querySlot`. */
  readonly anchorSlot: QuerySlot;
  readonly embeddings: tf.Tensor2D;
  readonly labels: tf.Tensor1D;
  readonly reference: tf.Tensor2D;
  readonly refLabels: tf.Tensor1D;
  /** True when the references are the embeddings themselves (the diagonal is excluded). */
  readonly selfReference: boolean;
  /**
   * The self pairs: float 0/1 [n, m], 1 at (i, i) when reference i is anchor i itself (the embeddings as their own
   * references, or a reference set with `refStartsWithEmbeddings`, e.g. `CrossBatchMemory`'s bank), else all 0.
   * They are in neither `allPos` nor `allNeg`; a loss that classifies an instance as itself (`InstanceLoss`) uses
   * them.
   */
  readonly self: tf.Tensor2D;
  /** D(anchor_i, reference_j) in the anchor slot chosen: [n, m]. */
  readonly rawD: tf.Tensor2D;
  /** D̃ = D / s: [n, m]. */
  readonly d: tf.Tensor2D;
  /** The divisor s of D̃ = D / s (a scalar; differentiated through for the batch-mean scale). */
  readonly s: tf.Scalar;
  /** Positive pairs to use (mined ones when a tuple is given): float 0/1 [n, m]. */
  readonly pos: tf.Tensor2D;
  /** Negative pairs to use: float 0/1 [n, m]. */
  readonly neg: tf.Tensor2D;
  /** All same-label, non-self pairs: [n, m]. */
  readonly allPos: tf.Tensor2D;
  /** All different-label pairs: [n, m]. */
  readonly allNeg: tf.Tensor2D;
  /** The triplets when the tuple given was a triplet tuple (triplet losses then gather them), else null. */
  readonly triplets: TripletIndices | null;
  readonly n: number;
  readonly m: number;
}

/**
 * The base of every metric loss (pytorch-metric-learning's composition): a divergence injected, a reducer
 * separate, empty batches normal. Subclasses implement `terms(ctx)`, returning per-element losses with their masks;
 * the base builds the divergence matrix with ONE `pairwise` call, the label masks, the scale, reduces each term with
 * the reducer and sums the results.
 *
 * Tensor lifetime: `compute` returns a scalar the caller owns (dispose it, or call inside `tf.tidy` /
 * `optimizer.minimize`); nothing else it creates survives except the loss's small statistics variable, which is
 * overwritten in place. The loss owns its own variables (proxies, β, statistics: `dispose()`), never the divergence.
 */
export abstract class MetricLoss {
  /** Class name, used in error messages. */
  abstract readonly type: string;
  readonly divergence: Divergence;
  readonly reducer: Reducer;
  readonly scale: DivergenceScale;
  /** Slot of the anchors (queries) in D. */
  readonly querySlot: QuerySlot;
  /** Penalty on the embeddings (null: none) and its weight. */
  readonly embeddingRegularizer: Regularizer | null;
  readonly embeddingRegWeight: number;
  /** Penalty on the loss's class weights / proxies (null: none) and its weight. */
  readonly weightRegularizer: Regularizer | null;
  readonly weightRegWeight: number;
  private readonly statsVariable: tf.Variable;
  private hasStats = false;

  protected constructor(component: string, options: MetricLossOptions, defaultReducer: Reducer) {
    if (options !== undefined && (options === null || typeof options !== 'object')) {
      throw new LossesError(component, 'INVALID_ARGUMENT', `expected an options object, got ${describeValue(options)}`);
    }
    // A loss exists to be differentiated (also over a fixed divergence, with respect to the embeddings).
    ensureGradients();
    this.divergence = checkDivergence(component, options?.divergence);
    const reducer = options?.reducer ?? defaultReducer;
    if (typeof (reducer as Partial<Reducer>)?.reduce !== 'function') {
      throw new LossesError(component, 'INVALID_ARGUMENT', `expected a Reducer, got ${describeValue(reducer)}`);
    }
    this.reducer = reducer;
    this.scale = checkScale(component, options?.scale);
    this.querySlot = checkQuerySlot(component, options);
    this.embeddingRegularizer = checkRegularizer(component, 'embeddingRegularizer', options?.embeddingRegularizer);
    this.embeddingRegWeight = checkNumber(component, 'embeddingRegWeight', options?.embeddingRegWeight, 1);
    this.weightRegularizer = checkRegularizer(component, 'weightRegularizer', options?.weightRegularizer);
    this.weightRegWeight = checkNumber(component, 'weightRegWeight', options?.weightRegWeight, 1);
    // tf.variable copies its initial value: build it in a tidy so the zeros do not leak.
    this.statsVariable = tf.tidy(() => tf.variable(tf.zeros([8]), false));
  }

  /** @deprecated The same as `querySlot`. */
  get anchorSlot(): QuerySlot {
    return this.querySlot;
  }

  /** Per-element loss terms of a batch (called inside a tidy). */
  protected abstract terms(ctx: LossContext): LossTerm[];

  /**
   * The loss's learnable proxies / class weights ([C·K, d], row c·K + k the k-th center of class c) and K, or `null`
   * (default) for losses without them. The one proxy hook: `proxyReference`, `usesProxies`, `regularizedWeights` and
   * `trainableVariables` all derive from it (read outside the tidy too: it must return the loss's own variable, no
   * new tensor).
   */
  protected proxySet(): { readonly proxies: tf.Variable; readonly centersPerClass: number } | null {
    return null;
  }

  /** The rows of the proxies given to D (inside the tidy): the proxies themselves (NormalizedSoftmax normalises them). */
  protected proxyReferenceRows(proxies: tf.Variable): tf.Tensor2D {
    return proxies as tf.Tensor2D;
  }

  /**
   * For proxy losses: the reference set (proxies) and its labels (row r has label ⌊r / K⌋), built inside the tidy.
   * `null` (no `proxySet`): the references are the embeddings or `refEmbeddings`.
   */
  protected proxyReference(): { reference: tf.Tensor2D; labels: tf.Tensor1D } | null {
    const set = this.proxySet();
    if (set === null) return null;
    const rows = set.proxies.shape[0] as number;
    return {
      reference: this.proxyReferenceRows(set.proxies),
      labels: tf.floorDiv(tf.range(0, rows, 1, 'int32'), tf.scalar(set.centersPerClass, 'int32')) as tf.Tensor1D,
    };
  }

  /** True for losses whose reference set is their proxies (then no tuple or reference set is accepted). */
  protected get usesProxies(): boolean {
    return this.proxySet() !== null;
  }

  /** False for losses that build their own pairs from the labels (then no tuple is accepted). */
  protected get acceptsIndicesTuple(): boolean {
    return true;
  }

  /**
   * The rows a `weightRegularizer` penalises (proxies, class weights, centers): the loss's own variable, no new
   * tensor (it is read outside the tidy, to refuse a weight regularizer before any work); default: the proxies of
   * `proxySet`, `null` for losses without weights.
   */
  protected regularizedWeights(): tf.Tensor2D | null {
    return (this.proxySet()?.proxies as tf.Tensor2D | undefined) ?? null;
  }

  /**
   * Variables owned by the loss that an optimiser should update (the proxies of `proxySet`, β, priors); the
   * divergence's are separate.
   */
  get trainableVariables(): tf.Variable[] {
    const set = this.proxySet();
    return set === null ? [] : [set.proxies];
  }

  /**
   * The loss of a batch: a scalar tensor (the caller owns it), differentiable w.r.t. the embeddings, the
   * divergence's variables and the loss's own variables.
   *
   * @param embeddings [n, d] float32, the anchors/queries.
   * @param labels n integer class ids (int32 tensor, Int32Array or number[]).
   * @param options mined `indicesTuple`, or a reference set `refEmbeddings` + `refLabels`.
   */
  compute(embeddings: tf.Tensor2D, labels: LabelsLike, options: ComputeOptions = {}): tf.Scalar {
    const component = `${this.type}.compute`;
    const [n] = checkEmbeddings(component, embeddings);
    const lab = toLabelTensor(component, labels, n);
    let refLab: { tensor: tf.Tensor1D; owned: boolean } | null = null;
    try {
      const hasRef = options.refEmbeddings !== undefined || options.refLabels !== undefined;
      let reference = embeddings;
      if (hasRef) {
        if (options.refEmbeddings === undefined || options.refLabels === undefined) {
          throw new LossesError(
            component,
            'INVALID_ARGUMENT',
            'expected refEmbeddings and refLabels together, got only one of them',
          );
        }
        const [m, w] = checkEmbeddings(component, options.refEmbeddings, 'refEmbeddings');
        if (w !== embeddings.shape[1]) {
          throw new LossesError(
            component,
            'INVALID_SHAPE',
            `expected refEmbeddings of width ${embeddings.shape[1]} (the embeddings' width), got width ${w}`,
          );
        }
        refLab = toLabelTensor(component, options.refLabels, m, 'refLabels');
        reference = options.refEmbeddings;
        if (options.refStartsWithEmbeddings === true && m < n) {
          throw new LossesError(
            component,
            'INVALID_SHAPE',
            `expected at least ${n} refEmbeddings rows with refStartsWithEmbeddings, got ${m}`,
          );
        }
      }
      const tuple = options.indicesTuple === undefined ? undefined : checkIndices(component, options.indicesTuple);
      if (this.usesProxies && (hasRef || tuple !== undefined)) {
        throw new LossesError(
          component,
          'INVALID_ARGUMENT',
          'expected no indicesTuple/refEmbeddings (the proxies are the reference set of a proxy loss), got one',
        );
      }
      if (!this.acceptsIndicesTuple && tuple !== undefined) {
        throw new LossesError(
          component,
          'INVALID_ARGUMENT',
          'expected no indicesTuple (this loss forms its own pairs from the labels), got one',
        );
      }
      const weightRows = this.weightRegularizer === null ? null : this.regularizedWeights();
      if (this.weightRegularizer !== null && weightRows === null) {
        throw new LossesError(
          component,
          'INVALID_ARGUMENT',
          'expected a loss with class weights or proxies for weightRegularizer, got a loss without weights',
        );
      }
      return tf.tidy(() => {
        const proxy = this.proxyReference();
        const ref = proxy?.reference ?? reference;
        const refLabels = proxy?.labels ?? refLab?.tensor ?? lab.tensor;
        const selfReference = proxy === null && !hasRef;
        const rawD = queryPairwise(this.divergence, this.querySlot, embeddings, ref);
        const m = ref.shape[0];
        const same = tf.cast(
          tf.equal(tf.reshape(lab.tensor, [n, 1]), tf.reshape(refLabels, [1, m])),
          'float32',
        ) as tf.Tensor2D;
        const selfPairs = selfReference || (hasRef && options.refStartsWithEmbeddings === true);
        const self = (selfPairs ? tf.eye(n, m) : tf.zeros([n, m])) as tf.Tensor2D;
        const allPos = selfPairs ? (tf.mul(same, tf.sub(1, self)) as tf.Tensor2D) : same;
        const allNeg = tf.sub(1, same) as tf.Tensor2D;
        const s = scaleDivisor(this.scale, rawD, tf.add(allPos, allNeg) as tf.Tensor2D);
        const d = tf.div(rawD, s) as tf.Tensor2D;
        let pos = allPos;
        let neg = allNeg;
        let triplets: TripletIndices | null = null;
        if (tuple?.kind === 'pairs') {
          pos = indexMask(tuple.a1, tuple.p, n, m);
          neg = indexMask(tuple.a2, tuple.n, n, m);
        } else if (tuple?.kind === 'triplets') {
          pos = indexMask(tuple.a, tuple.p, n, m);
          neg = indexMask(tuple.a, tuple.n, n, m);
          triplets = tuple;
        }
        const ctx: LossContext = {
          divergence: this.divergence,
          querySlot: this.querySlot,
          anchorSlot: this.querySlot,
          embeddings,
          labels: lab.tensor,
          reference: ref,
          refLabels,
          selfReference,
          self,
          rawD,
          d,
          s,
          pos,
          neg,
          allPos,
          allNeg,
          triplets,
          n,
          m,
        };
        const terms = this.terms(ctx);
        let loss: tf.Scalar = connectedZero(d);
        let elements: tf.Scalar = tf.scalar(0);
        let active: tf.Scalar = tf.scalar(0);
        for (const [k, term] of terms.entries()) {
          const info = reductionInfo(component, term, k, lab.tensor, n);
          loss = tf.add(loss, this.reducer.reduce(term.losses, term.mask, info));
          elements = tf.add(elements, count(term.mask));
          active = tf.add(
            active,
            tf.sum(tf.cast(tf.logicalAnd(isOn(term.mask), tf.greater(term.losses, 0)), 'float32')),
          );
        }
        // Regularizers are added to the value (and so to lastStats.loss) but are not elements of the loss.
        if (this.embeddingRegularizer !== null) {
          loss = tf.add(loss, tf.mul(this.embeddingRegWeight, this.embeddingRegularizer.compute(embeddings)));
        }
        if (this.weightRegularizer !== null && weightRows !== null) {
          loss = tf.add(loss, tf.mul(this.weightRegWeight, this.weightRegularizer.compute(weightRows)));
        }
        this.statsVariable.assign(
          tf.stack([
            loss,
            elements,
            active,
            count(pos),
            count(neg),
            maskedMean(rawD, pos),
            maskedMean(rawD, neg),
            s,
          ]) as tf.Tensor1D,
        );
        this.hasStats = true;
        return loss;
      });
    } finally {
      if (lab.owned) lab.tensor.dispose();
      if (refLab?.owned) refLab.tensor.dispose();
    }
  }

  /** Statistics of the last `compute` (null before the first); reads 8 numbers back from the backend. */
  get lastStats(): LossStats | null {
    if (!this.hasStats) return null;
    const v = this.statsVariable.dataSync();
    return {
      loss: v[0] as number,
      elements: v[1] as number,
      activeElements: v[2] as number,
      positivePairs: v[3] as number,
      negativePairs: v[4] as number,
      meanPositive: v[5] as number,
      meanNegative: v[6] as number,
      scale: v[7] as number,
    };
  }

  /** Frees the loss's own variables (not the divergence, which the caller owns). */
  dispose(): void {
    this.statsVariable.dispose();
    for (const v of this.trainableVariables) v.dispose();
  }
}

function checkRegularizer(component: string, name: string, value: unknown): Regularizer | null {
  if (value === undefined) return null;
  if (value === null || typeof (value as Partial<Regularizer>).compute !== 'function') {
    throw new LossesError(
      component,
      'INVALID_ARGUMENT',
      `expected ${name} to be a Regularizer, got ${describeValue(value)}`,
    );
  }
  return value as Regularizer;
}
