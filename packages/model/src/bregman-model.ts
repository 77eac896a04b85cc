import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { type Divergence, type QuerySlot, divergenceFromJSON, isTensor } from '@empirical-bregman/bregman-core';
import { type EvaluateOptions, type Evaluation, evaluate } from '@empirical-bregman/eval';
import {
  BregmanModelIndex,
  type CentroidDivergences,
  type MatchOptions,
  type ModelIndexOptions,
  type Prediction,
  type PredictOptions,
} from './bregman-model-index';
import { checkInteger } from './check-integer';
import type { EmbedOptions, IndexableModel } from './indexable-model';
import { readIndexHeader } from './index-files';
import { type PreprocessConstants, preprocess, preprocessConstants } from './input-pipeline';
import { type Labels, checkLabels } from './labels';
import { loadTrunk } from './load-trunk';
import type { ModelHost } from './model-host';
import { type ModelLocation, type ModelTarget, sinkOf, sourceOf, subSource } from './model-location';
import type { ModelManifest } from './model-manifest';
import { ModelError } from './model-error';
import { parseModelManifest } from './parse-model-manifest';
import { type RawInput, countSamples, sampleTensor } from './raw-input';
import { readRequiredJson } from './read-model-file';
import { sha256Hex } from './sha256-hex';
import { utf8Bytes } from './utf8';

/** The manifest's file name in a model folder. */
export const MANIFEST_FILE = 'manifest.json';

/** Options of {@link BregmanModel.load}. */
export interface LoadModelOptions {
  /**
   * What the platform adds: folder paths and the ANN index (`nodeHost` of `@empirical-bregman/model/node`, which
   * its `loadModel` passes). Without one the model reads URLs, picked files and ModelSources, and builds exact
   * indexes.
   */
  readonly host?: ModelHost;
}

/** Options of {@link BregmanModel.predict} and {@link BregmanModel.centroidDivergences}. */
export interface ModelIndexChoice {
  /** The index (with labels) whose items vote and whose classes have centroids (default: the model's current index). */
  readonly index?: BregmanModelIndex;
}

/** Options of {@link BregmanModel.evaluate}: eval's `evaluate` options but the data, which the call gives. */
export type ModelEvaluateOptions = Omit<
  EvaluateOptions,
  'divergence' | 'queries' | 'queryLabels' | 'references' | 'referenceLabels' | 'referenceIncludesQueries' | 'queryIn'
> &
  EmbedOptions;

/**
 * A trained model used from code, without its training data: the trunk (a tfjs-layers network), the divergence
 * head and the manifest of a model folder (what `bregman train` writes to `<run>/model/`: `manifest.json`,
 * `model.json` + `weights.bin`, `divergence.json`).
 *
 * Tensors: `embed` and `divergence` return tensors the caller disposes; every other method returns plain arrays and
 * leaves `tf.memory().numTensors` as it found it; inputs are never disposed. The model owns its trunk's and head's
 * variables until {@link dispose}; indexes borrow the model (dispose them first, or at least never use them after).
 *
 * ```ts
 * const model = await BregmanModel.load('https://example.org/runs/mnist-icnn/model/'); // Node folders: ./node
 * const z = model.embed(images);                     // [n, embeddingDim], caller disposes
 * const index = await model.index(items, labels);    // exact k-NN under the learned divergence
 * const { knn, centroid } = await model.predict(images, { k: 5 });
 * ```
 */
export class BregmanModel implements IndexableModel {
  private currentIndex: BregmanModelIndex | null = null;
  private fingerprintValue: Promise<string> | null = null;
  private disposed = false;

  private constructor(
    /** The checked manifest. */
    readonly manifest: ModelManifest,
    /** The embedding network: raw (preprocessed) samples [n, ...sampleShape] → [n, embeddingDim]. */
    readonly trunk: tfl.LayersModel,
    /** The divergence head, acting on embeddings (bregman-core's conventions: smaller is closer, pairwise(A, B)[i, j] = D(A_i, B_j)). */
    readonly head: Divergence,
    /** The platform the model was loaded with, if any (folders, ANN). */
    readonly host: ModelHost | undefined,
    /** The model's files as read, by name (for `save` and the fingerprint). */
    private readonly files: ReadonlyMap<string, Uint8Array>,
    /** Where the model was read from. */
    readonly location: string,
  ) {}

  /**
   * Loads a model folder: the manifest (checked strictly, see `parseModelManifest`), the trunk through an IOHandler
   * over the source (`tf.loadLayersModel`), the head (`divergenceFromJSON`). Missing files are `NOT_FOUND`; a trunk
   * whose input is not [null, ...sampleShape] or whose output is not [null, embeddingDim], or a head of another
   * width, `BAD_FORMAT`.
   *
   * @param location a ModelSource, an `https:` URL of the folder (or one relative to the page in a browser), picked
   *   files (`fileListSource`), or — through `@empirical-bregman/model/node`'s `loadModel` — a folder path.
   */
  static async load(location: ModelLocation, options: LoadModelOptions = {}): Promise<BregmanModel> {
    const component = 'BregmanModel.load';
    const source = sourceOf(component, location, options.host);
    const { value, bytes: manifestBytes } = await readRequiredJson(component, source, MANIFEST_FILE, 'the manifest');
    const manifest = parseModelManifest(value, component, MANIFEST_FILE);
    const { value: divergenceJson, bytes: divergenceBytes } = await readRequiredJson(
      component,
      source,
      manifest.divergence,
      'the divergence',
    );
    const { trunk, files } = await loadTrunk(component, source, manifest.trunk);
    let head: Divergence | null = null;
    try {
      checkTrunk(component, trunk, manifest);
      try {
        head = divergenceFromJSON(divergenceJson as Parameters<typeof divergenceFromJSON>[0]);
      } catch (error) {
        throw new ModelError(
          component,
          'BAD_FORMAT',
          `expected ${manifest.divergence} to hold a divergence bregman-core rebuilds, got: ${(error as Error).message}`,
          { cause: error },
        );
      }
      if (head.dim !== null && head.dim !== manifest.embeddingDim) {
        throw new ModelError(
          component,
          'BAD_FORMAT',
          `expected a head of width ${manifest.embeddingDim} (embeddingDim) in ${manifest.divergence}, got width ${head.dim}`,
        );
      }
    } catch (error) {
      trunk.dispose();
      // Assigned inside the try: TypeScript does not see that in a catch.
      (head as Divergence | null)?.dispose();
      throw error;
    }
    const all = new Map<string, Uint8Array>(files);
    all.set(manifest.divergence, divergenceBytes);
    all.set(MANIFEST_FILE, manifestBytes);
    return new BregmanModel(manifest, trunk, head, options.host, all, source.description);
  }

  /**
   * Loads a model and its index together from a folder written by `index.save(target)` (with the model, the
   * default): TF-Similarity's `save_index`. The caller disposes both (the index first).
   */
  static async loadWithIndex(
    location: ModelLocation,
    options: LoadModelOptions = {},
  ): Promise<{ model: BregmanModel; index: BregmanModelIndex }> {
    const component = 'BregmanModel.loadWithIndex';
    const source = sourceOf(component, location, options.host);
    const header = await readIndexHeader(component, source);
    if (header.model === null) {
      throw new ModelError(
        component,
        'NOT_FOUND',
        `expected the model's files with the index in ${source.description}, got an index saved without them (includeModel: false): load the model, then model.loadIndex(…)`,
      );
    }
    const model = await BregmanModel.load(subSource(source, header.model), options);
    try {
      return { model, index: await model.loadIndex(source) };
    } catch (error) {
      model.dispose();
      throw error;
    }
  }

  /** Shape of one raw sample. */
  get sampleShape(): readonly number[] {
    return this.manifest.input.sampleShape;
  }

  /** Width of the embeddings. */
  get embeddingDim(): number {
    return this.manifest.embeddingDim;
  }

  /** The slot searches use by default (the one the model was trained with). */
  get querySlot(): QuerySlot {
    return this.manifest.querySlot;
  }

  /** The name of a class label: `manifest.labels.names[label]`, or the number for a class the model never saw. */
  labelName(label: number): string {
    return this.manifest.labels.names[label] ?? String(label);
  }

  /**
   * Embeddings of raw samples: x / divisor, then (x − mean) / std (the manifest's preprocessing, in that order), then
   * the trunk. Returns [n, embeddingDim]; **the caller disposes it**; `raw` is not disposed. n = 0 gives [0, d].
   *
   * @param raw a typed array of n · ∏sampleShape values, `number[][]` (one flat row per sample), or a tf.Tensor
   *   [n, ...sampleShape].
   */
  embed(raw: RawInput, options: EmbedOptions = {}): tf.Tensor2D {
    const component = 'BregmanModel.embed';
    this.checkLive(component);
    const n = countSamples(component, 'raw', raw, this.sampleShape);
    const batchSize = checkInteger(component, 'batchSize', options.batchSize ?? 256, 1);
    if (n === 0) return tf.zeros([0, this.embeddingDim]) as tf.Tensor2D;
    return tf.tidy(() => {
      const x = isTensor(raw) ? raw : sampleTensor(raw, 0, n, this.sampleShape);
      const z = preprocess(this.manifest.input, x, this.preprocessing);
      return this.trunk.predict(z, { batchSize }) as tf.Tensor2D;
    });
  }

  /**
   * {@link embed} in batches of `batchSize` samples read back as they are done: [n · embeddingDim] row-major, no
   * tensor to dispose, and at most one batch on the backend at a time (for large inputs).
   */
  async embedArray(raw: RawInput, options: EmbedOptions = {}): Promise<Float32Array> {
    const component = 'BregmanModel.embedArray';
    this.checkLive(component);
    const n = countSamples(component, 'raw', raw, this.sampleShape);
    const batchSize = checkInteger(component, 'batchSize', options.batchSize ?? 256, 1);
    const d = this.embeddingDim;
    const out = new Float32Array(n * d);
    for (let start = 0; start < n; start += batchSize) {
      const end = Math.min(n, start + batchSize);
      const z = tf.tidy(() => {
        const x = sampleTensor(raw, start, end, this.sampleShape);
        return this.trunk.predict(preprocess(this.manifest.input, x, this.preprocessing), { batchSize }) as tf.Tensor2D;
      });
      try {
        out.set((await z.data()) as Float32Array, start * d);
      } finally {
        z.dispose();
      }
    }
    return out;
  }

  /**
   * Paired divergences of raw samples: D(f(a_i), f(b_i)) for aligned rows, f the trunk after preprocessing, as
   * [n]; **the caller disposes it**. The arguments are raw input (like every method of the model); for embeddings
   * use the head itself: `model.head.paired(za, zb)`, `model.head.pairwise(za, zb)`. D is asymmetric in general:
   * `a` takes the left slot.
   */
  divergence(a: RawInput, b: RawInput, options: EmbedOptions = {}): tf.Tensor1D {
    const component = 'BregmanModel.divergence';
    this.checkLive(component);
    const na = countSamples(component, 'a', a, this.sampleShape);
    const nb = countSamples(component, 'b', b, this.sampleShape);
    if (na !== nb) {
      throw new ModelError(
        component,
        'INVALID_SHAPE',
        `expected a and b with one number of samples, got ${na} and ${nb}`,
      );
    }
    if (na === 0) return tf.zeros([0]) as tf.Tensor1D;
    return tf.tidy(() => this.head.paired(this.embed(a, options), this.embed(b, options)));
  }

  /**
   * Embeds `items` once and indexes them (see {@link BregmanModelIndex}); the index becomes the model's current
   * one (the default of `predict`). The caller disposes the index.
   *
   * @param labels one class label ≥ 0 per item (needed by `predict`); omit for a plain search index.
   */
  async index(items: RawInput, labels?: Labels, options: ModelIndexOptions = {}): Promise<BregmanModelIndex> {
    this.checkLive('BregmanModel.index');
    const index = await BregmanModelIndex.build(this, items, labels, options);
    this.currentIndex = index;
    return index;
  }

  /**
   * Reads an index saved by `index.save` (built with this very model: checked by fingerprint); it becomes the
   * model's current one. The caller disposes it.
   */
  async loadIndex(location: ModelLocation): Promise<BregmanModelIndex> {
    this.checkLive('BregmanModel.loadIndex');
    const index = await BregmanModelIndex.load(this, location);
    this.currentIndex = index;
    return index;
  }

  /**
   * k-NN vote and nearest-centroid predictions for raw rows against an index with labels (`options.index`, or the
   * model's current index: the last one built or loaded through it and not disposed). See
   * `BregmanModelIndex.predict`.
   */
  async predict(raw: RawInput, options: PredictOptions & ModelIndexChoice = {}): Promise<Prediction> {
    const { index, ...rest } = options;
    return this.indexFor('BregmanModel.predict', index).predict(raw, rest);
  }

  /**
   * D between each raw row and every class centroid of an index ([n · C]; for calibrated probabilities
   * p(c | x) ∝ π_c · exp(−D(z, μ_c) / τ), with π_c from `index.classCentroids().counts`). See
   * `BregmanModelIndex.centroidDivergences`.
   */
  async centroidDivergences(
    raw: RawInput,
    options: MatchOptions & ModelIndexChoice = {},
  ): Promise<CentroidDivergences> {
    const { index, ...rest } = options;
    return this.indexFor('BregmanModel.centroidDivergences', index).centroidDivergences(raw, rest);
  }

  /**
   * The project's retrieval (and optionally clustering) metrics on labelled raw samples, every sample a query
   * against the others: eval's `evaluate` on their embeddings under the head, in the manifest's query slot unless
   * `options.querySlot` says otherwise. So a loaded model reproduces its run's test metrics from the same data.
   */
  async evaluate(raw: RawInput, labels: Labels, options: ModelEvaluateOptions = {}): Promise<Evaluation> {
    const component = 'BregmanModel.evaluate';
    this.checkLive(component);
    const n = countSamples(component, 'raw', raw, this.sampleShape);
    const queryLabels = checkLabels(component, 'labels', labels, n);
    const { batchSize, ...rest } = options;
    const z = this.embed(raw, batchSize === undefined ? {} : { batchSize });
    try {
      return await evaluate({ querySlot: this.querySlot, ...rest, divergence: this.head, queries: z, queryLabels });
    } finally {
      z.dispose();
    }
  }

  /**
   * SHA-256 (hex) identifying the model: of the lines `sha256(file)  name` of its files (manifest, trunk, weights,
   * divergence) in name order, as `sha256sum` prints them. A saved index records it, so that it is never searched
   * with the embeddings of another model.
   */
  fingerprint(): Promise<string> {
    if (this.fingerprintValue === null) {
      const component = 'BregmanModel.fingerprint';
      this.fingerprintValue = (async () => {
        const names = [...this.files.keys()].sort();
        let lines = '';
        for (const name of names) lines += `${await sha256Hex(component, this.files.get(name)!)}  ${name}\n`;
        return sha256Hex(component, utf8Bytes(lines));
      })();
    }
    return this.fingerprintValue;
  }

  /**
   * Writes the model folder, byte for byte as it was read (copy a model from a URL to disk, or into an index
   * folder): every file, then `manifest.json` last (a folder cut short has no manifest).
   *
   * @param target a ModelSink, or a folder path for a model loaded through `@empirical-bregman/model/node`.
   */
  async save(target: ModelTarget): Promise<void> {
    const component = 'BregmanModel.save';
    this.checkLive(component);
    const sink = sinkOf(component, target, this.host);
    const names = [...this.files.keys()].filter((n) => n !== MANIFEST_FILE);
    for (const name of [...names, MANIFEST_FILE]) {
      try {
        await sink.write(name, this.files.get(name)!);
      } catch (error) {
        throw new ModelError(
          component,
          'IO',
          `expected to write ${name} to ${sink.description}, got ${String(error)}`,
          {
            cause: error,
          },
        );
      }
    }
  }

  /** Frees the trunk's and the head's variables. Indexes of the model must not be used afterwards. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.trunk.dispose();
    this.head.dispose();
    if (this.cachedPreprocessing) tf.dispose([this.cachedPreprocessing.mean, this.cachedPreprocessing.std]);
  }

  private cachedPreprocessing: PreprocessConstants | undefined;

  /** The standardizer's tensors, made on first use and kept (not one upload of mean and std per batch). */
  private get preprocessing(): PreprocessConstants | undefined {
    if (this.manifest.input.standardizer === undefined) return undefined;
    this.cachedPreprocessing ??= tf.tidy(() => {
      const c = preprocessConstants(this.manifest.input);
      return { mean: tf.keep(c.mean), std: tf.keep(c.std) };
    });
    return this.cachedPreprocessing;
  }

  private indexFor(component: string, index: BregmanModelIndex | undefined): BregmanModelIndex {
    this.checkLive(component);
    const chosen = index ?? (this.currentIndex?.isDisposed ? null : this.currentIndex);
    if (chosen === null || chosen === undefined) {
      throw new ModelError(
        component,
        'INVALID_ARGUMENT',
        'expected options.index or a current index, got none: build one with model.index(items, labels) or load one with model.loadIndex(…)',
      );
    }
    if (chosen.model !== this) {
      throw new ModelError(component, 'INVALID_ARGUMENT', 'expected an index of this model, got one of another model');
    }
    return chosen;
  }

  private checkLive(component: string): void {
    if (this.disposed) throw new ModelError(component, 'INVALID_ARGUMENT', 'expected a live model, got a disposed one');
  }
}

/** The trunk must take [null, ...sampleShape] and give [null, embeddingDim]. */
function checkTrunk(component: string, trunk: tfl.LayersModel, manifest: ModelManifest): void {
  const input = trunk.inputs.length === 1 ? trunk.inputs[0]!.shape : null;
  const expectedIn = [null, ...manifest.input.sampleShape];
  if (input === null || input.length !== expectedIn.length || input.some((s, i) => i > 0 && s !== expectedIn[i])) {
    throw new ModelError(
      component,
      'BAD_FORMAT',
      `expected a trunk taking [null, ${manifest.input.sampleShape.join(', ')}] (the manifest's sampleShape) in ${manifest.trunk}, got ${trunk.inputs.length === 1 ? shapeText(input!) : `${trunk.inputs.length} inputs`}`,
    );
  }
  const output = trunk.outputs.length === 1 ? trunk.outputs[0]!.shape : null;
  if (output === null || output.length !== 2 || output[1] !== manifest.embeddingDim) {
    throw new ModelError(
      component,
      'BAD_FORMAT',
      `expected a trunk giving [null, ${manifest.embeddingDim}] (embeddingDim) in ${manifest.trunk}, got ${trunk.outputs.length === 1 ? shapeText(output!) : `${trunk.outputs.length} outputs`}`,
    );
  }
}

/** A symbolic shape as tfjs prints it: [null, 4]. */
function shapeText(shape: readonly (number | null)[]): string {
  return `[${shape.map((s) => (s === null ? 'null' : String(s))).join(', ')}]`;
}
