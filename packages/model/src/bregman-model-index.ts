import { centroidPosterior, fitKnnKernel, fitTemperature, knnKernelPosterior } from '@empirical-bregman/eval';
import * as tf from '@tensorflow/tfjs-core';
import { type QuerySlot, bregmanGeneratorOf, isTensor } from '@empirical-bregman/bregman-core';
import { describeValue } from '@empirical-bregman/common';
import { exactKnn, type PreparedReferences, prepareReferences } from '@empirical-bregman/search';
import { checkInteger } from './check-integer';
import { type ClassCentroids, classCentroids } from './class-centroids';
import type { EmbedOptions, IndexableModel } from './indexable-model';
import { type IndexHeader, readIndexArrays, readIndexHeader, writeIndexFiles } from './index-files';
import { type VoteWeights, knnVote } from './knn-vote';
import { type Labels, checkLabels } from './labels';
import type { AnnBuildOptions, AnnIndex } from './model-host';
import { ModelError } from './model-error';
import { type ModelLocation, type ModelTarget, sinkOf, sourceOf, subSink } from './model-location';
import { type RawInput, countSamples } from './raw-input';

/** Options of `model.index(items, labels, options)`. */
export interface ModelIndexOptions extends EmbedOptions {
  /**
   * `'exact'` (default): search's `exactKnn`, anywhere. `'ann'`: an HNSW graph (search/ann, usearch), in Node with a
   * model loaded through `@empirical-bregman/model/node`, for Bregman heads only.
   */
  readonly kind?: 'exact' | 'ann';
  /** ANN only: the query slot the graph is built for (default the manifest's `querySlot`). */
  readonly slot?: QuerySlot;
  /** ANN only: graph options (search/ann's `BregmanAnnIndexOptions`). */
  readonly ann?: Omit<AnnBuildOptions, 'querySlot'>;
}

/** Options of `index.search`. */
export interface IndexSearchOptions extends EmbedOptions {
  /** Neighbours per query, 1 ≤ k ≤ index size. */
  readonly k: number;
  /**
   * `'left'` ranks items y by D(q, y), `'right'` by D(y, q) (default: the manifest's `querySlot`; for an ANN
   * index the slot it was built for, the only one it answers).
   */
  readonly slot?: QuerySlot;
  /** ANN only: search beam width (default 64; larger is slower and more exact). */
  readonly width?: number;
}

/** The k nearest items of each query, in flat row-major arrays (query i, rank r at i·k + r), nearest first. */
export interface IndexSearchResult {
  readonly numQueries: number;
  readonly k: number;
  readonly slot: QuerySlot;
  /** Item indices (the order items were added in); −1 where an ANN index found fewer than k. */
  readonly indices: Int32Array;
  /** D(query, item) (slot `'left'`) or D(item, query) (`'right'`); +∞ where `indices` is −1. */
  readonly divergences: Float32Array;
  /** The items' labels (−1 where `indices` is −1), for an index with labels. */
  readonly labels?: Int32Array;
}

/** Items within a divergence threshold of each query, in compressed rows: query i's are [offsets[i], offsets[i+1]). */
export interface MatchResult {
  readonly numQueries: number;
  readonly slot: QuerySlot;
  readonly threshold: number;
  /** [numQueries + 1]. */
  readonly offsets: Int32Array;
  /** Item indices, each query's sorted by divergence, then index. */
  readonly indices: Int32Array;
  readonly divergences: Float32Array;
  /** The items' labels, for an index with labels. */
  readonly labels?: Int32Array;
}

/** Options of `index.match`. */
export interface MatchOptions extends EmbedOptions {
  /** As in {@link IndexSearchOptions}. */
  readonly slot?: QuerySlot;
}

/** Options of `index.predict`. */
export interface PredictOptions extends EmbedOptions {
  /** Neighbours that vote (default: the fitted kernel's k, else min(10, index size)). */
  readonly k?: number;
  /** How votes weigh (default `'uniform'`: 1 each). */
  readonly weights?: VoteWeights;
  /** As in {@link IndexSearchOptions}; the centroids take the other slot. */
  readonly slot?: QuerySlot;
  /** ANN only: search beam width. */
  readonly width?: number;
  /** τ of the centroid probabilities (default: the fitted one, else 1). */
  readonly temperature?: number;
  /** τ′ of the k-NN kernel probabilities (default: the fitted one, else 1). */
  readonly knnTemperature?: number;
  /**
   * Leave-one-out: the rows are the index's own items, in the order they were added, and each row's own item does not
   * vote (as eval's kNN accuracy excludes the query itself). Default false.
   */
  readonly excludeSelf?: boolean;
}

/** Divergences of each row to every class centroid. */
export interface CentroidDivergences {
  readonly numRows: number;
  /** The class labels of the columns, ascending. */
  readonly classes: Int32Array;
  readonly slot: QuerySlot;
  /**
   * [numRows · C], row-major: D(z_i, μ_c) for slot `'left'`, D(μ_c, z_i) for `'right'` — the input of a centroid
   * posterior p(c | x) ∝ π_c · exp(−D / τ) (eval's `fitTemperature` takes this layout).
   */
  readonly divergences: Float32Array;
}

/** k-NN and nearest-centroid predictions for n rows over the index's C classes. */
export interface Prediction {
  readonly numRows: number;
  /** The C class labels the per-class columns stand for (the index's distinct labels, ascending). */
  readonly classes: Int32Array;
  /** Their names (the manifest's label names; classes the model never saw by number). */
  readonly classNames: readonly string[];
  readonly slot: QuerySlot;
  /**
   * The k-NN vote: winner per row, each class's share of the vote ([n · C], rows sum to 1), and the kernel
   * probabilities p(c | x) = (Σ_{r: y_r = c} w_r + ε·π_c) / (Σ_r w_r + ε), w_r = exp(−(D_r − D₍₁₎)/τ′) ([n · C]; eval's
   * `knnKernelPosterior`), with τ′ `options.knnTemperature`, else the fitted one, else 1, and ε the fitted one, else
   * 0.01. The fitted kernel holds for its own k only (the default k when fitted); `fitted` says whether τ′ and ε are
   * the fitted ones — without them the probabilities are not calibrated.
   */
  readonly knn: {
    readonly k: number;
    readonly labels: Int32Array;
    readonly scores: Float32Array;
    readonly probabilities: Float64Array;
    readonly temperature: number;
    readonly smoothing: number;
    readonly fitted: boolean;
  };
  /**
   * Nearest class centroid: winner per row (argmin, ties to the smaller label), every divergence ([n · C]), and the
   * class probabilities p(c | x) ∝ π_c · exp(−D(z, μ_c) / τ) ([n · C], rows sum to 1), with π_c the index's class
   * frequencies and τ `options.temperature`, else the one `fitTemperature` fitted, else 1.
   */
  readonly centroid: {
    readonly labels: Int32Array;
    readonly divergences: Float32Array;
    readonly probabilities: Float64Array;
    readonly temperature: number;
    /** True when τ is the one `fitTemperature` fitted (also after a save and load); false: τ given, or 1 unfitted. */
    readonly fitted: boolean;
  };
}

/** Options of `index.save`. */
export interface SaveIndexOptions {
  /** Also write the model's files into `model/` (default true), so that `BregmanModel.loadWithIndex` needs nothing else. */
  readonly includeModel?: boolean;
}

const MODEL_FOLDER = 'model/';
const ANN_FILE = 'ann.usearch';

/**
 * Embedded items of a model, searchable under its divergence head, with optional class labels: TF-Similarity's
 * index, over an (asymmetric) learned divergence. Items are embedded once, when added; queries are raw input,
 * embedded with the same model.
 *
 * Tensors: the index owns one tensor, its items' embeddings [size, d] (freed by {@link dispose}); every method
 * returns plain arrays and leaves the tensor count as it found it. The model must outlive the index (the index
 * uses its trunk and head; it never disposes them).
 *
 * ```ts
 * const index = await model.index(items, labels);
 * const { indices, divergences, labels: found } = await index.search(queries, { k: 5 });
 * const prediction = await index.predict(queries, { k: 5 });
 * await index.save('runs/x/index');                   // a folder path in Node (./node), or any ModelSink
 * index.dispose();
 * ```
 */
export class BregmanModelIndex {
  private references: tf.Tensor2D;
  private readonly centroidCache = new Map<QuerySlot, ClassCentroids>();
  /** The cached centroids as tensors (uploaded once, not per request); cleared with `centroidCache`. */
  private readonly centroidTensors = new Map<QuerySlot, tf.Tensor2D>();
  /** The items reduced once per slot for search's Bregman fast path (null: not a Bregman head); cleared likewise. */
  private readonly preparedCache = new Map<QuerySlot, PreparedReferences | null>();

  /** The items reduced for `slot` (φ and ∇φ of every item once per index and slot, not once per search). */
  private async preparedFor(slot: QuerySlot): Promise<PreparedReferences | null> {
    if (!this.preparedCache.has(slot))
      this.preparedCache.set(slot, await prepareReferences(this.model.head, this.references, slot));
    return this.preparedCache.get(slot)!;
  }
  private disposed = false;

  private constructor(
    /** The model whose embeddings these are (not owned). */
    readonly model: IndexableModel,
    /** `'exact'` or `'ann'`. */
    readonly kind: 'exact' | 'ann',
    private embeddings: Float32Array,
    private labels: Int32Array | null,
    private ann: AnnIndex | null,
    private readonly annOptions: Omit<AnnBuildOptions, 'querySlot'>,
  ) {
    this.references = tf.tensor2d(embeddings, [embeddings.length / this.embeddingDim, this.embeddingDim]);
  }

  /** Items in the index. */
  get size(): number {
    return this.embeddings.length / this.embeddingDim;
  }

  get embeddingDim(): number {
    return this.model.manifest.embeddingDim;
  }

  /** True when the items carry labels (search returns them; predict needs them). */
  get hasLabels(): boolean {
    return this.labels !== null;
  }

  /** The slot an ANN index answers (null for the exact index, which answers both). */
  get annSlot(): QuerySlot | null {
    return this.ann?.querySlot ?? null;
  }

  /** A copy of the items' labels, or null. */
  itemLabels(): Int32Array | null {
    return this.labels === null ? null : this.labels.slice();
  }

  /** A copy of the items' embeddings, [size · embeddingDim] row-major. */
  itemEmbeddings(): Float32Array {
    return this.embeddings.slice();
  }

  /**
   * Embeds `items` (in batches) and indexes them; `model.index(items, labels, options)` calls this.
   *
   * @param items raw samples (not disposed), at least one.
   * @param labels one class label per item, or omitted (then `search` returns no labels and `predict` is refused).
   */
  static async build(
    model: IndexableModel,
    items: RawInput,
    labels?: Labels,
    options: ModelIndexOptions = {},
  ): Promise<BregmanModelIndex> {
    const component = 'BregmanModelIndex.build';
    const kind = options.kind ?? 'exact';
    if (kind !== 'exact' && kind !== 'ann') {
      throw new ModelError(component, 'INVALID_ARGUMENT', `expected kind "exact" or "ann", got ${describeValue(kind)}`);
    }
    const n = countSamples(component, 'items', items, model.manifest.input.sampleShape);
    if (n === 0) throw new ModelError(component, 'INVALID_ARGUMENT', 'expected at least one item, got 0');
    const checked = labels === undefined ? null : checkLabels(component, 'labels', labels, n);
    const annProvider = kind === 'ann' ? requireAnn(component, model) : null;
    const embeddings = await model.embedArray(items, options);
    const index = new BregmanModelIndex(model, kind, embeddings, checked, null, options.ann ?? {});
    if (annProvider !== null) {
      try {
        index.ann = await annProvider.build(model.head, index.references, {
          ...index.annOptions,
          querySlot: options.slot ?? model.manifest.querySlot,
        });
      } catch (error) {
        index.dispose();
        throw error;
      }
    }
    return index;
  }

  /**
   * Reads an index saved by {@link save} for `model`; `model.loadIndex(location)` calls this. Refused
   * (`INVALID_ARGUMENT`) when it was built with another model (the fingerprints differ); `CHECKSUM_MISMATCH` when a
   * data file does not match its header.
   */
  static async load(model: IndexableModel, location: ModelLocation): Promise<BregmanModelIndex> {
    const component = 'BregmanModelIndex.load';
    const source = sourceOf(component, location, model.host);
    const header: IndexHeader = await readIndexHeader(component, source);
    const fingerprint = await model.fingerprint();
    if (header.modelFingerprint !== fingerprint) {
      throw new ModelError(
        component,
        'INVALID_ARGUMENT',
        `expected an index built with this model (fingerprint ${fingerprint.slice(0, 12)}…), got one built with model ${header.modelFingerprint.slice(0, 12)}… in ${source.description}`,
      );
    }
    if (header.embeddingDim !== model.manifest.embeddingDim) {
      throw new ModelError(
        component,
        'BAD_FORMAT',
        `expected embeddings of width ${model.manifest.embeddingDim}, got ${header.embeddingDim} in ${source.description}`,
      );
    }
    const { embeddings, labels } = await readIndexArrays(component, source, header);
    const index = new BregmanModelIndex(model, header.kind, embeddings, labels, null, {});
    if (header.calibration) {
      index.temperature = header.calibration.temperature;
      index.knnKernel = header.calibration.knn;
    }
    if (header.ann !== null) {
      try {
        const provider = requireAnn(component, model);
        if (source.directory === undefined) {
          throw new ModelError(
            component,
            'UNAVAILABLE',
            `expected a folder on disk for an ANN index (its graph is read by path), got ${source.description}`,
          );
        }
        const ann = await provider.load(joinPath(source.directory, header.ann.file), model.head);
        if (ann.size !== header.size || ann.querySlot !== header.ann.querySlot) {
          throw new ModelError(
            component,
            'BAD_FORMAT',
            `expected an ANN graph of ${header.size} items for slot ${header.ann.querySlot}, got ${ann.size} items for slot ${ann.querySlot} in ${source.description}`,
          );
        }
        index.ann = ann;
      } catch (error) {
        index.dispose();
        throw error;
      }
    }
    return index;
  }

  /**
   * Embeds and appends items (their indices continue from `size`). An index with labels needs labels for them, one
   * without takes none. An ANN graph is rebuilt over all items (O(size); build anew rather than add often).
   */
  async add(items: RawInput, labels?: Labels, options: EmbedOptions = {}): Promise<void> {
    const component = 'BregmanModelIndex.add';
    this.checkLive(component);
    const n = countSamples(component, 'items', items, this.model.manifest.input.sampleShape);
    if ((labels === undefined) !== (this.labels === null)) {
      throw new ModelError(
        component,
        'INVALID_ARGUMENT',
        this.labels === null
          ? 'expected no labels (this index has none), got labels'
          : 'expected labels for the new items (this index has labels), got none',
      );
    }
    const checked = labels === undefined ? null : checkLabels(component, 'labels', labels, n);
    if (n === 0) return;
    const added = await this.model.embedArray(items, options);
    const embeddings = new Float32Array(this.embeddings.length + added.length);
    embeddings.set(this.embeddings);
    embeddings.set(added, this.embeddings.length);
    const references = tf.tensor2d(embeddings, [embeddings.length / this.embeddingDim, this.embeddingDim]);
    let ann = this.ann;
    if (ann !== null) {
      try {
        ann = await requireAnn(component, this.model).build(this.model.head, references, {
          ...this.annOptions,
          querySlot: ann.querySlot,
        });
      } catch (error) {
        references.dispose();
        throw error;
      }
    }
    this.references.dispose();
    this.references = references;
    this.embeddings = embeddings;
    this.ann = ann;
    if (checked !== null) {
      const all = new Int32Array(this.labels!.length + n);
      all.set(this.labels!);
      all.set(checked, this.labels!.length);
      this.labels = all;
    }
    this.centroidCache.clear();
    for (const t of this.centroidTensors.values()) t.dispose();
    this.centroidTensors.clear();
    for (const p of this.preparedCache.values()) p?.dispose();
    this.preparedCache.clear();
  }

  /**
   * The k nearest items of each raw query. The exact index is search's `exactKnn` on the embeddings: the same
   * neighbours and divergences as the in-process evaluation (eval's `evaluate`), ties by item index.
   */
  async search(queries: RawInput, options: IndexSearchOptions): Promise<IndexSearchResult> {
    this.checkLive('BregmanModelIndex.search');
    const z = this.model.embed(queries, options);
    try {
      return await this.searchEmbeddings(z, options);
    } finally {
      z.dispose();
    }
  }

  /** {@link search} for queries already embedded with this model ([nq, embeddingDim], not disposed). */
  async searchEmbeddings(queries: tf.Tensor2D, options: IndexSearchOptions): Promise<IndexSearchResult> {
    const component = 'BregmanModelIndex.search';
    this.checkLive(component);
    this.checkEmbedded(component, queries);
    const k = checkInteger(component, 'k', options?.k, 1, this.size);
    const slot = this.slotOf(component, options.slot);
    const nq = queries.shape[0];
    let indices: Int32Array;
    let divergences: Float32Array;
    if (nq === 0) {
      indices = new Int32Array(0);
      divergences = new Float32Array(0);
    } else if (this.ann === null) {
      const prepared = await this.preparedFor(slot);
      const nn = await exactKnn(this.model.head, queries, this.references, {
        k,
        querySlot: slot,
        ...(prepared ? { prepared } : {}),
      });
      indices = nn.indices;
      divergences = nn.distances;
    } else {
      if (slot !== this.ann.querySlot) {
        throw new ModelError(
          component,
          'UNSUPPORTED',
          `expected slot ${this.ann.querySlot} (this ANN index was built for it), got ${slot}: build the index with { slot: '${slot}' }`,
        );
      }
      const nn = await this.ann.search(queries, k, options.width === undefined ? {} : { width: options.width });
      indices = nn.indices;
      divergences = nn.distances;
    }
    const result: IndexSearchResult = { numQueries: nq, k, slot, indices, divergences };
    if (this.labels === null) return result;
    const labels = this.labels;
    return { ...result, labels: Int32Array.from(indices, (j) => (j < 0 ? -1 : labels[j]!)) };
  }

  /**
   * Every item within `threshold` of each raw query: D(q, y) ≤ threshold (slot `'left'`) or D(y, q) ≤ threshold
   * (`'right'`), sorted by divergence then index. Exact for both kinds (blocks of the head's `pairwise`, 256 queries
   * × 4096 items at a time); its values agree with `search`'s up to float32 round-off (search ranks through the
   * Bregman → inner-product reduction). Pick the threshold with {@link chooseThreshold}.
   */
  async match(queries: RawInput, threshold: number, options: MatchOptions = {}): Promise<MatchResult> {
    const component = 'BregmanModelIndex.match';
    this.checkLive(component);
    if (typeof threshold !== 'number' || Number.isNaN(threshold)) {
      throw new ModelError(
        component,
        'INVALID_ARGUMENT',
        `expected a threshold number, got ${describeValue(threshold)}`,
      );
    }
    const slot = this.slotOf(component, options.slot);
    const z = this.model.embed(queries, options);
    try {
      const nq = z.shape[0];
      const found: { index: number; divergence: number }[][] = Array.from({ length: nq }, () => []);
      const queryBlock = 256;
      const itemBlock = 4096;
      for (let q0 = 0; q0 < nq; q0 += queryBlock) {
        const qn = Math.min(queryBlock, nq - q0);
        for (let r0 = 0; r0 < this.size; r0 += itemBlock) {
          const rn = Math.min(itemBlock, this.size - r0);
          const block = tf.tidy(() => {
            const qz = tf.slice(z, [q0, 0], [qn, this.embeddingDim]);
            const rz = tf.slice(this.references, [r0, 0], [rn, this.embeddingDim]);
            return slot === 'left' ? this.model.head.pairwise(qz, rz) : tf.transpose(this.model.head.pairwise(rz, qz));
          });
          let values: Float32Array;
          try {
            values = (await block.data()) as Float32Array;
          } finally {
            block.dispose();
          }
          for (let i = 0; i < qn; i++) {
            for (let j = 0; j < rn; j++) {
              const d = values[i * rn + j]!;
              if (Number.isNaN(d)) {
                throw new ModelError(
                  component,
                  'NON_FINITE',
                  `expected finite divergences, got NaN for query ${q0 + i}`,
                );
              }
              if (d <= threshold) found[q0 + i]!.push({ index: r0 + j, divergence: d });
            }
          }
        }
      }
      const offsets = new Int32Array(nq + 1);
      for (let i = 0; i < nq; i++) offsets[i + 1] = offsets[i]! + found[i]!.length;
      const indices = new Int32Array(offsets[nq]!);
      const divergences = new Float32Array(offsets[nq]!);
      for (let i = 0; i < nq; i++) {
        const row = found[i]!.sort((a, b) => a.divergence - b.divergence || a.index - b.index);
        row.forEach((m, t) => {
          indices[offsets[i]! + t] = m.index;
          divergences[offsets[i]! + t] = m.divergence;
        });
      }
      const result: MatchResult = { numQueries: nq, slot, threshold, offsets, indices, divergences };
      if (this.labels === null) return result;
      const labels = this.labels;
      return { ...result, labels: Int32Array.from(indices, (j) => labels[j]!) };
    } finally {
      z.dispose();
    }
  }

  /**
   * The classes' centroids for queries in `slot` (computed once per slot, until `add`): see
   * {@link ClassCentroids} for which centroid each head and slot gets.
   */
  async classCentroids(slot?: QuerySlot): Promise<ClassCentroids> {
    const component = 'BregmanModelIndex.classCentroids';
    this.checkLive(component);
    const s = this.slotOf(component, slot);
    const labels = this.requireLabels(component);
    let centroids = this.centroidCache.get(s);
    if (centroids === undefined) {
      centroids = await classCentroids(this.model.head, this.embeddings, labels, this.embeddingDim, s);
      this.centroidCache.set(s, centroids);
    }
    return centroids;
  }

  /** D between each raw row and every class centroid ([n · C], row-major); see {@link CentroidDivergences}. */
  async centroidDivergences(raw: RawInput, options: MatchOptions = {}): Promise<CentroidDivergences> {
    const component = 'BregmanModelIndex.centroidDivergences';
    this.checkLive(component);
    const slot = this.slotOf(component, options.slot);
    const z = this.model.embed(raw, options);
    try {
      return await this.centroidDivergencesOf(z, slot);
    } finally {
      z.dispose();
    }
  }

  /** The temperature `fitTemperature` fitted (undefined before); saved with the index (`index.json`'s `calibration`). */
  temperature: number | undefined = undefined;

  /** The k-NN kernel (τ′, prior pseudo-vote ε, k) `fitTemperature` fitted (undefined before); saved with the index. */
  knnKernel: { readonly temperature: number; readonly smoothing: number; readonly k: number } | undefined = undefined;

  /** log π_c of the index's class frequencies, from the cached per-class counts of {@link classCentroids}. */
  private async logPriors(slot: QuerySlot): Promise<number[]> {
    const { counts } = await this.classCentroids(slot);
    return Array.from(counts, (n) => Math.log(n / this.size));
  }

  /**
   * Fits the two probability estimators of `predict` on labelled validation rows (raw, not in the index) by
   * minimising their NLL, keeps them for `predict`, and returns them: τ of the centroid probabilities (temperature
   * scaling; eval's `fitTemperature`) and the k-NN kernel's τ′ and prior pseudo-vote ε over the rows' `k` nearest
   * items (default min(10, size); eval's `fitKnnKernel`). Labels must be classes of the index.
   */
  async fitTemperature(
    raw: RawInput,
    labels: Int32Array | readonly number[],
    options: EmbedOptions & { readonly slot?: QuerySlot; readonly k?: number; readonly width?: number } = {},
  ): Promise<{
    temperature: number;
    nll: number;
    knn: { readonly temperature: number; readonly smoothing: number; readonly k: number; readonly nll: number };
  }> {
    const component = 'BregmanModelIndex.fitTemperature';
    this.checkLive(component);
    this.requireLabels(component);
    const slot = this.slotOf(component, options.slot);
    const k = checkInteger(component, 'k', options.k ?? Math.min(10, this.size), 1, this.size);
    const z = this.model.embed(raw, options);
    try {
      const { classes, divergences } = await this.centroidDivergencesOf(z, slot);
      const column = new Map(Array.from(classes, (c, j) => [c, j] as const));
      if (labels.length !== z.shape[0])
        throw new ModelError(
          component,
          'INVALID_SHAPE',
          `expected one label per row (${z.shape[0]}), got ${labels.length} labels`,
        );
      const y = Int32Array.from(labels, (l, i) => {
        const j = column.get(l);
        if (j === undefined)
          throw new ModelError(
            component,
            'INVALID_ARGUMENT',
            `expected labels among the index's classes, got ${l} at ${i}`,
          );
        return j;
      });
      const logPriors = await this.logPriors(slot);
      const fitted = fitTemperature(divergences, classes.length, y, { logPriors });
      const nn = await this.searchEmbeddings(z, {
        k,
        slot,
        ...(options.width === undefined ? {} : { width: options.width }),
      });
      const kernel = fitKnnKernel(denseNeighbours(nn.labels!, nn.divergences, k, column), classes.length, y, {
        logPriors,
      });
      this.temperature = fitted.temperature;
      this.knnKernel = { temperature: kernel.temperature, smoothing: kernel.smoothing, k };
      return { ...fitted, knn: { ...this.knnKernel, nll: kernel.nll } };
    } finally {
      z.dispose();
    }
  }

  /**
   * k-NN vote and nearest-centroid predictions for raw rows, over the index's classes (the index needs labels).
   * The k-NN part uses `search` (exact or ANN); the centroid part the class centroids of {@link classCentroids}.
   */
  async predict(raw: RawInput, options: PredictOptions = {}): Promise<Prediction> {
    const component = 'BregmanModelIndex.predict';
    this.checkLive(component);
    this.requireLabels(component);
    const excludeSelf = options.excludeSelf === true;
    // The fitted kernel's k by default: τ′ and ε are fitted for that many neighbours.
    const k = checkInteger(
      component,
      'k',
      options.k ?? this.knnKernel?.k ?? Math.min(10, this.size - (excludeSelf ? 1 : 0)),
      1,
      this.size - (excludeSelf ? 1 : 0),
    );
    const slot = this.slotOf(component, options.slot);
    if (excludeSelf) {
      const rows = countSamples(component, 'raw', raw, this.model.manifest.input.sampleShape);
      if (rows !== this.size)
        throw new ModelError(
          component,
          'INVALID_ARGUMENT',
          `expected the index's own ${this.size} items as rows with excludeSelf, got ${rows} rows`,
        );
    }
    // Leave-one-out rows are the index's own items: their embeddings are held already.
    const z = excludeSelf ? tf.clone(this.references) : this.model.embed(raw, options);
    try {
      const searched = await this.searchEmbeddings(z, {
        k: excludeSelf ? k + 1 : k,
        slot,
        ...(options.width === undefined ? {} : { width: options.width }),
      });
      const nn = excludeSelf ? dropSelf(searched, k) : searched;
      const { classes, divergences } = await this.centroidDivergencesOf(z, slot);
      const votes = knnVote(component, nn.labels!, nn.divergences, k, classes, options.weights ?? 'uniform');
      const n = z.shape[0];
      const C = classes.length;
      const nearest = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        let best = 0;
        for (let c = 1; c < C; c++) if (divergences[i * C + c]! < divergences[i * C + best]!) best = c;
        nearest[i] = classes[best]!;
      }
      const temperature = options.temperature ?? this.temperature ?? 1;
      const logPriors = await this.logPriors(slot);
      const probabilities = centroidPosterior(divergences, C, { temperature, logPriors });
      const column = new Map(Array.from(classes, (c, j) => [c, j] as const));
      // The fitted kernel holds for the k it was fitted with only; another k gets the unfitted defaults.
      const fittedKernel = this.knnKernel?.k === k ? this.knnKernel : undefined;
      const kernel = {
        temperature: options.knnTemperature ?? fittedKernel?.temperature ?? 1,
        smoothing: fittedKernel?.smoothing ?? 0.01,
        fitted: options.knnTemperature === undefined && fittedKernel !== undefined,
      };
      const knnProbabilities = knnKernelPosterior(denseNeighbours(nn.labels!, nn.divergences, k, column), C, {
        temperature: kernel.temperature,
        smoothing: kernel.smoothing,
        logPriors,
      });
      return {
        numRows: n,
        classes,
        classNames: Array.from(classes, (c) => this.model.labelName(c)),
        slot,
        knn: { k, labels: votes.labels, scores: votes.scores, probabilities: knnProbabilities, ...kernel },
        centroid: {
          labels: nearest,
          divergences,
          probabilities,
          temperature,
          fitted: options.temperature === undefined && this.temperature !== undefined,
        },
      };
    } finally {
      z.dispose();
    }
  }

  /**
   * Writes the index: `embeddings.bin`, `labels.bin` (with labels), the ANN graph (`ann.usearch*`, search/ann's own
   * files; needs a folder on disk) and `index.json` last; with `includeModel` (default) the model's files in
   * `model/` first. `target`: a folder path (model loaded through `@empirical-bregman/model/node`) or a ModelSink.
   */
  async save(target: ModelTarget, options: SaveIndexOptions = {}): Promise<void> {
    const component = 'BregmanModelIndex.save';
    this.checkLive(component);
    const sink = sinkOf(component, target, this.model.host);
    const includeModel = options.includeModel ?? true;
    if (includeModel) await this.model.save(subSink(sink, MODEL_FOLDER));
    if (this.ann !== null) {
      if (sink.directory === undefined) {
        throw new ModelError(
          component,
          'UNAVAILABLE',
          `expected a folder on disk for an ANN index (its graph is written by path), got ${sink.description}`,
        );
      }
      await this.ann.save(joinPath(sink.directory, ANN_FILE));
    }
    await writeIndexFiles(component, sink, {
      kind: this.kind,
      embeddings: this.embeddings,
      labels: this.labels,
      embeddingDim: this.embeddingDim,
      modelFingerprint: await this.model.fingerprint(),
      model: includeModel ? MODEL_FOLDER : null,
      ann: this.ann === null ? null : { file: ANN_FILE, querySlot: this.ann.querySlot },
      ...(this.temperature !== undefined && this.knnKernel !== undefined
        ? { calibration: { temperature: this.temperature, knn: this.knnKernel } }
        : {}),
    });
  }

  /** Frees the index's tensor. The model is not disposed. Calling it twice is harmless. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.references.dispose();
    this.centroidCache.clear();
    for (const t of this.centroidTensors.values()) t.dispose();
    this.centroidTensors.clear();
    for (const p of this.preparedCache.values()) p?.dispose();
    this.preparedCache.clear();
  }

  /** True after {@link dispose}. */
  get isDisposed(): boolean {
    return this.disposed;
  }

  private async centroidDivergencesOf(z: tf.Tensor2D, slot: QuerySlot): Promise<CentroidDivergences> {
    const { classes, centroids } = await this.classCentroids(slot);
    const C = classes.length;
    let mu = this.centroidTensors.get(slot);
    if (!mu) {
      mu = tf.tensor2d(centroids, [C, this.embeddingDim]);
      this.centroidTensors.set(slot, mu);
    }
    const m = mu;
    const d = tf.tidy(() =>
      slot === 'left' ? this.model.head.pairwise(z, m) : tf.transpose(this.model.head.pairwise(m, z)),
    );
    try {
      return { numRows: z.shape[0], classes, slot, divergences: (await d.data()) as Float32Array };
    } finally {
      d.dispose();
    }
  }

  /** The slot a call without `slot` uses: an ANN index's own, else the manifest's `querySlot`. */
  get defaultSlot(): QuerySlot {
    return this.ann?.querySlot ?? this.model.manifest.querySlot;
  }

  private slotOf(component: string, slot: QuerySlot | undefined): QuerySlot {
    if (slot !== undefined && slot !== 'left' && slot !== 'right') {
      throw new ModelError(
        component,
        'INVALID_ARGUMENT',
        `expected slot "left" or "right", got ${describeValue(slot)}`,
      );
    }
    return slot ?? this.defaultSlot;
  }

  private requireLabels(component: string): Int32Array {
    if (this.labels === null) {
      throw new ModelError(
        component,
        'INVALID_ARGUMENT',
        'expected an index with labels, got one without: build it with model.index(items, labels)',
      );
    }
    return this.labels;
  }

  private checkLive(component: string): void {
    if (this.disposed) throw new ModelError(component, 'INVALID_ARGUMENT', 'expected a live index, got a disposed one');
  }

  private checkEmbedded(component: string, x: unknown): void {
    if (!isTensor(x) || x.rank !== 2 || x.shape[1] !== this.embeddingDim) {
      throw new ModelError(
        component,
        'INVALID_SHAPE',
        `expected embedded queries [n, ${this.embeddingDim}], got ${describeValue(x)}`,
      );
    }
  }
}

/** The model's ANN provider, for a Bregman head. */
function requireAnn(component: string, model: IndexableModel) {
  const provider = model.host?.ann;
  if (provider === undefined) {
    throw new ModelError(
      component,
      'UNAVAILABLE',
      "expected a model loaded with an ANN provider for kind 'ann', got none: in Node, load it with loadModel from @empirical-bregman/model/node (usearch installed)",
    );
  }
  if (bregmanGeneratorOf(model.head) === null) {
    throw new ModelError(
      component,
      'UNSUPPORTED',
      `expected a Bregman head for an ANN index (the graph needs the reduction to inner products), got ${model.head.type}: use kind 'exact'`,
    );
  }
  return provider;
}

/** `name` inside the folder `dir` ("/" works as separator on every platform Node runs on). */
function joinPath(dir: string, name: string): string {
  return `${dir.replace(/[\\/]+$/, '')}/${name}`;
}

/**
 * Row i's k + 1 neighbours without item i itself (the first time it appears; when it does not, for more than k items
 * tie ahead of it, the last neighbour goes): the k nearest other items, in their order. Internal.
 */
function dropSelf(result: IndexSearchResult, k: number): IndexSearchResult {
  const n = result.numQueries;
  const wide = k + 1;
  const indices = new Int32Array(n * k);
  const divergences = new Float32Array(n * k);
  const labels = result.labels ? new Int32Array(n * k) : undefined;
  for (let i = 0; i < n; i++) {
    let self = wide - 1;
    for (let r = 0; r < wide; r++)
      if (result.indices[i * wide + r] === i) {
        self = r;
        break;
      }
    for (let r = 0, o = 0; r < wide; r++) {
      if (r === self) continue;
      indices[i * k + o] = result.indices[i * wide + r]!;
      divergences[i * k + o] = result.divergences[i * wide + r]!;
      if (labels) labels[i * k + o] = result.labels![i * wide + r]!;
      o++;
    }
  }
  return { numQueries: n, k, slot: result.slot, indices, divergences, ...(labels ? { labels } : {}) };
}

/** Search results as eval's k-NN neighbours with dense class columns (a label outside `column` or a miss: −1). */
function denseNeighbours(
  labels: Int32Array,
  divergences: Float32Array,
  k: number,
  column: ReadonlyMap<number, number>,
): { k: number; divergences: Float32Array; labels: Int32Array } {
  return { k, divergences, labels: Int32Array.from(labels, (l) => (l < 0 ? -1 : (column.get(l) ?? -1))) };
}
