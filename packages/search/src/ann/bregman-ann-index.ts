import { existsSync, readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import {
  BregmanMipsReduction,
  type Divergence,
  type DivergenceJSON,
  type QuerySlot,
  bregmanGeneratorOf,
  divergenceFromJSON,
  mipsToNearestNeighbour,
  nearestNeighbourQueries,
  resolveQuerySlot,
  checkEmbeddings,
} from '@empirical-bregman/bregman-core';
import { describeValue } from '@empirical-bregman/common';
import { writeFileAtomic } from '@empirical-bregman/node-io';
import usearch from 'usearch';
import { checkInteger } from '../check-integer';
import type { Neighbours } from '../neighbours';
import { SearchError } from '../search-error';
import { snapToZero, toleranceNorm, zeroToleranceScale } from '../zero-tolerance';

/** φ of a Bregman divergence, as the MIPS reduction takes it. */
type Generator = BregmanMipsReduction['generator'];

export interface BregmanAnnIndexOptions {
  /** The query's slot in D (default `'left'`: items ranked by D(query, item); `'right'`: by D(item, query)). */
  readonly querySlot?: QuerySlot;
  /** @deprecated Use `querySlot` (same values); kept as an alias. Both given must agree. */
  readonly queryIn?: QuerySlot;
  /** HNSW graph degree M (default 16). */
  readonly connectivity?: number;
  /** Beam width while building (default 128). */
  readonly expansionAdd?: number;
  /** Items per block when computing the database vectors (default 8192). */
  readonly blockSize?: number;
  /**
   * Threads usearch may use to build (default 0: all cores); searches then use at most as many. With 1 the graph,
   * hence the results, are reproducible.
   */
  readonly threads?: number;
}

export interface AnnSearchOptions {
  /**
   * Search beam width (HNSW's ef, usearch's `expansion_search`): larger is slower and more exact. The index is
   * searched for max(width, k) candidates, which is the same beam; default 64.
   */
  readonly width?: number;
  /** Threads usearch may use (default 0: all cores, capped at the build's `threads`). */
  readonly threads?: number;
}

/** What `save` writes next to the usearch file (`<path>.json`). */
interface IndexSidecar {
  readonly format: 'empirical-bregman/bregman-ann-index';
  readonly version: 1;
  /** The query slot. The file's field keeps its first name, so files stay readable by every version. */
  readonly queryIn: QuerySlot;
  readonly dim: number;
  readonly size: number;
  readonly maxNorm: number;
  readonly connectivity: number;
  readonly divergence: DivergenceJSON;
}

/**
 * Approximate k-NN under a Bregman divergence on a real graph index (usearch HNSW), through the exact reduction of
 * Bregman search to maximum inner-product search (bregman-core's `BregmanMipsReduction`, Cayton 2008) and the
 * MIPS → nearest-neighbour transform (`mipsToNearestNeighbour`, Bachrach et al. 2014): item y becomes
 * ṽ = [v(y); √(M² − ‖v(y)‖²)], query q becomes q̃ = [u(q); 0], and ‖q̃ − ṽ‖² = ‖u‖² + M² − 2⟨u, v⟩ = const − 2·score,
 * so squared-L2 nearest neighbours in the (d + 2)-dimensional space are exactly the Bregman nearest neighbours.
 * (HNSW over the raw inner product finds almost nothing: recall@10 ≈ 0.001 measured in this project.)
 *
 * The k candidates the graph returns are re-scored with their D through the same reduction (offset(q) − ⟨u(q), v(y)⟩,
 * computed in float64 from the stored database vectors: no φ evaluation per candidate) and sorted by (D, index),
 * so the reported distances are D itself (up to float32 round-off) and comparable with `exactKnn`.
 *
 * ```ts
 * const index = await BregmanAnnIndex.build(divergence, items, { querySlot: 'left' });
 * const nn = await index.search(queries, 10, { width: 128 });
 * index.save('/tmp/items.usearch');  // + .json and .items beside it
 * const again = BregmanAnnIndex.load('/tmp/items.usearch');
 * ```
 */
export class BregmanAnnIndex {
  private constructor(
    /** The divergence (not owned: never disposed by the index). */
    readonly divergence: Divergence,
    /** Its generator φ (`bregmanGeneratorOf(divergence)`), which builds the reduction. */
    private readonly generator: Generator,
    /** The query's slot in D this index was built for. */
    readonly querySlot: QuerySlot,
    private readonly index: InstanceType<typeof usearch.Index>,
    /** M of the MIPS → NN transform. */
    readonly maxNorm: number,
    readonly connectivity: number,
    /** The items, [size, d] float32 row-major (what `save` writes; the reduction is rebuilt from them). */
    private readonly items: Float32Array,
    /** Threads usearch reserved state for when adding (0: all cores); searches may not use more. */
    private readonly reservedThreads: number,
    /**
     * The items' database vectors v(y) of the reduction, row i at i·stride (the first d + 1 values), to re-score
     * candidates as D = offset(q) − ⟨u(q), v(y)⟩ without evaluating φ again. Built lazily after `load`.
     */
    private database: { vectors: Float32Array; stride: number } | null = null,
  ) {}

  /** @deprecated Use `querySlot`. */
  get queryIn(): QuerySlot {
    return this.querySlot;
  }

  /** Number of indexed items. */
  get size(): number {
    return this.index.size();
  }

  /**
   * Indexes the items (keys are their row numbers).
   *
   * @param divergence a Bregman divergence D_φ (`bregmanGeneratorOf(divergence)` is φ, which builds the reduction).
   * @param items [n, d], not disposed.
   */
  static async build(
    divergence: Divergence,
    items: tf.Tensor2D,
    options: BregmanAnnIndexOptions = {},
  ): Promise<BregmanAnnIndex> {
    const component = 'BregmanAnnIndex.build';
    const generator = divergence ? bregmanGeneratorOf(divergence) : null;
    if (generator === null) {
      throw new SearchError(
        component,
        'INVALID_ARGUMENT',
        `expected a Bregman divergence (the MIPS reduction needs its generator φ), got ${describeValue(divergence)}`,
      );
    }
    checkEmbeddings(component, 'items', items);
    const [n, d] = items.shape;
    if (d !== generator.dim) {
      throw new SearchError(component, 'INVALID_SHAPE', `expected items of width ${generator.dim}, got width ${d}`);
    }
    const querySlot = resolveQuerySlot(component, options.querySlot, { name: 'queryIn', value: options.queryIn });
    const connectivity = checkInteger(component, 'connectivity', options.connectivity ?? 16, 2);
    const expansionAdd = checkInteger(component, 'expansionAdd', options.expansionAdd ?? 128, 1);
    const blockSize = checkInteger(component, 'blockSize', options.blockSize ?? 8192, 1);
    const threads = checkInteger(component, 'threads', options.threads ?? 0, 0);

    const reduction = new BregmanMipsReduction(generator, { querySlot });
    const parts: tf.Tensor2D[] = [];
    let vectors: Float32Array;
    let maxNorm: number;
    try {
      for (let start = 0; start < n; start += blockSize) {
        const size = Math.min(blockSize, n - start);
        parts.push(tf.tidy(() => reduction.databaseVectors(tf.slice(items, [start, 0], [size, d]))));
      }
      const database = parts.length === 1 ? parts[0] : tf.concat(parts, 0);
      if (database !== parts[0]) parts.push(database);
      const transformed = mipsToNearestNeighbour(database);
      try {
        vectors = (await transformed.vectors.data()) as Float32Array;
      } finally {
        transformed.vectors.dispose();
      }
      maxNorm = transformed.maxNorm;
    } finally {
      tf.dispose(parts);
    }
    const index = new usearch.Index({
      dimensions: d + 2,
      metric: usearch.MetricKind.L2sq,
      quantization: usearch.ScalarKind.F32,
      connectivity,
      expansion_add: expansionAdd,
      expansion_search: 1,
      multi: false,
    });
    const keys = new BigUint64Array(n);
    for (let i = 0; i < n; i++) keys[i] = BigInt(i);
    index.add(keys, vectors, threads);
    const data = (await items.data()) as Float32Array;
    return new BregmanAnnIndex(
      divergence,
      generator,
      querySlot,
      index,
      maxNorm,
      connectivity,
      Float32Array.from(data),
      threads,
      {
        vectors,
        stride: d + 2,
      },
    );
  }

  /**
   * Approximate k nearest items of each query under D (in this index's slot), nearest first, with exact D values.
   *
   * @param queries [nq, d], not disposed.
   * @param k neighbours per query, ≤ size.
   */
  async search(queries: tf.Tensor2D, k: number, options: AnnSearchOptions = {}): Promise<Neighbours> {
    const component = 'BregmanAnnIndex.search';
    checkEmbeddings(component, 'queries', queries);
    const [nq, d] = queries.shape;
    if (d !== this.generator.dim) {
      throw new SearchError(
        component,
        'INVALID_SHAPE',
        `expected queries of width ${this.generator.dim}, got width ${d}`,
      );
    }
    checkInteger(component, 'k', k, 1, this.size);
    const width = checkInteger(component, 'width', options.width ?? 64, 1);
    const requested = checkInteger(component, 'threads', options.threads ?? 0, 0);
    // usearch keeps per-thread search state sized when the items were added: never ask for more threads than that.
    const threads =
      this.reservedThreads === 0 ? requested : Math.min(requested || this.reservedThreads, this.reservedThreads);
    const count = Math.max(width, k);

    const reduction = new BregmanMipsReduction(this.generator, { querySlot: this.querySlot });
    const { vectors, offsets } = reduction.queryVectors(queries);
    let qv: Float32Array;
    let queryOffsets: Float32Array;
    try {
      const transformed = nearestNeighbourQueries(vectors);
      try {
        qv = (await transformed.data()) as Float32Array;
      } finally {
        transformed.dispose();
      }
      queryOffsets = (await offsets.data()) as Float32Array;
    } finally {
      tf.dispose([vectors, offsets]);
    }
    const found = this.index.search(qv, count, threads);
    const indices = new Int32Array(nq * k);
    const size = BigInt(this.size);
    for (let i = 0; i < nq; i++) {
      for (let r = 0; r < k; r++) {
        const key = found.keys[i * count + r];
        // usearch pads missing results with the max key; a graph with n ≥ k items always fills k.
        indices[i * k + r] = key < size ? Number(key) : -1;
      }
    }
    const distances = this.rescore(qv, queryOffsets, indices, k, await this.databaseVectors());
    // Sort each query's candidates by (D, index).
    const order = Array.from({ length: k }, (_, r) => r);
    const rowI = new Int32Array(k);
    const rowD = new Float32Array(k);
    for (let i = 0; i < nq; i++) {
      const base = i * k;
      order.sort((a, b) => distances[base + a] - distances[base + b] || indices[base + a] - indices[base + b]);
      for (let r = 0; r < k; r++) {
        rowI[r] = indices[base + order[r]];
        rowD[r] = distances[base + order[r]];
      }
      indices.set(rowI, base);
      distances.set(rowD, base);
      for (let r = 0; r < k; r++) order[r] = r;
    }
    return { numQueries: nq, k, indices, distances };
  }

  /** The database vectors, computed from the items in blocks once after `load`. */
  private async databaseVectors(): Promise<{ vectors: Float32Array; stride: number }> {
    if (this.database) return this.database;
    const d = this.generator.dim;
    const n = this.items.length / d;
    const reduction = new BregmanMipsReduction(this.generator, { querySlot: this.querySlot });
    const vectors = new Float32Array(n * (d + 1));
    const block = 8192;
    for (let start = 0; start < n; start += block) {
      const rows = Math.min(block, n - start);
      const part = tf.tidy(() =>
        reduction.databaseVectors(tf.tensor2d(this.items.subarray(start * d, (start + rows) * d), [rows, d])),
      );
      try {
        vectors.set((await part.data()) as Float32Array, start * (d + 1));
      } finally {
        part.dispose();
      }
    }
    this.database = { vectors, stride: d + 1 };
    return this.database;
  }

  /**
   * D of each (query, candidate) pair through the reduction, D = offset(q) − ⟨u(q), v(y)⟩: the same values
   * `exactKnn` computes (its blocks are the same product), in O(k·d) per query instead of φ and ∇φ of every
   * candidate, and with the same zero tolerance: D ≤ τ = 2(d + 2)·2⁻²⁴·‖q̃‖‖r̃‖ (q̃ = [−u(q); offset(q)],
   * r̃ = [v(y); 1]) is exactly 0, so exact ties sort by index (see `zero-tolerance`). `qv` holds the transformed
   * queries [u(q); 0] (stride d + 2); +∞ for a missing candidate.
   */
  private rescore(
    qv: Float32Array,
    offsets: Float32Array,
    indices: Int32Array,
    k: number,
    database: { vectors: Float32Array; stride: number },
  ): Float32Array {
    const width = this.generator.dim + 1;
    const qStride = width + 1;
    const { vectors, stride } = database;
    const scale = zeroToleranceScale(width + 1);
    const itemNorms = this.itemNormsOf(database);
    const out = new Float32Array(indices.length);
    let queryNorm = 0;
    for (let t = 0; t < indices.length; t++) {
      const q = Math.floor(t / k);
      const qBase = q * qStride;
      if (t % k === 0) {
        // ‖q̃‖ once per query, not once per candidate.
        let squares = offsets[q]! * offsets[q]!;
        for (let c = 0; c < width; c++) squares += qv[qBase + c]! * qv[qBase + c]!;
        queryNorm = toleranceNorm(squares);
      }
      const j = indices[t]!;
      if (j < 0) {
        out[t] = Number.POSITIVE_INFINITY;
        continue;
      }
      let score = 0;
      const vBase = j * stride;
      for (let c = 0; c < width; c++) score += qv[qBase + c]! * vectors[vBase + c]!;
      out[t] = snapToZero(offsets[q]! - score, scale, queryNorm, itemNorms[j]!);
    }
    return out;
  }

  private itemNorms: { readonly vectors: Float32Array; readonly norms: Float32Array } | null = null;

  /** ‖r̃‖ = ‖[v(y); 1]‖ of every stored item, computed once (the items do not change), for the zero tolerance. */
  private itemNormsOf(database: { vectors: Float32Array; stride: number }): Float32Array {
    if (this.itemNorms?.vectors !== database.vectors) {
      const width = this.generator.dim + 1;
      const count = Math.floor(database.vectors.length / database.stride);
      const norms = new Float32Array(count);
      for (let j = 0; j < count; j++) {
        let squares = 1;
        for (let c = 0; c < width; c++) squares += database.vectors[j * database.stride + c]! ** 2;
        norms[j] = toleranceNorm(squares);
      }
      this.itemNorms = { vectors: database.vectors, norms };
    }
    return this.itemNorms.norms;
  }

  /**
   * Writes the usearch index to `path`, what is needed to use it again (slot, M, the divergence as JSON with its
   * weights) to `<path>.json` and the items (float32, for exact re-scoring) to `<path>.items`.
   */
  save(path: string): void {
    if (typeof path !== 'string' || path.length === 0) {
      throw new SearchError(
        'BregmanAnnIndex.save',
        'INVALID_ARGUMENT',
        `expected a file path, got ${describeValue(path)}`,
      );
    }
    try {
      this.index.save(path);
    } catch (error) {
      throw new SearchError('BregmanAnnIndex.save', 'IO', `expected to write ${path}, got ${String(error)}`, {
        cause: error,
      });
    }
    const sidecar: IndexSidecar = {
      format: 'empirical-bregman/bregman-ann-index',
      version: 1,
      queryIn: this.querySlot,
      dim: this.generator.dim,
      size: this.size,
      maxNorm: this.maxNorm,
      connectivity: this.connectivity,
      divergence: this.divergence.toJSON(),
    };
    const items = new Uint8Array(this.items.buffer, this.items.byteOffset, this.items.byteLength);
    writeSidecar(`${path}.items`, items);
    writeSidecar(`${path}.json`, JSON.stringify(sidecar));
  }

  /**
   * Reads an index written by {@link save}. The divergence is rebuilt from the saved JSON unless one is given
   * (it must be the one the index was built with).
   */
  static load(path: string, options: { divergence?: Divergence } = {}): BregmanAnnIndex {
    const component = 'BregmanAnnIndex.load';
    for (const file of [path, `${path}.json`, `${path}.items`]) {
      if (!existsSync(file)) throw new SearchError(component, 'NOT_FOUND', `expected the file ${file}, got none`);
    }
    let sidecar: IndexSidecar;
    try {
      sidecar = JSON.parse(readFileSync(`${path}.json`, 'utf8'));
    } catch (error) {
      throw new SearchError(component, 'BAD_FORMAT', `expected JSON in ${path}.json, got ${String(error)}`, {
        cause: error,
      });
    }
    if (sidecar?.format !== 'empirical-bregman/bregman-ann-index' || sidecar.version !== 1) {
      throw new SearchError(
        component,
        'BAD_FORMAT',
        `expected a bregman-ann-index version 1 sidecar, got ${describeValue(sidecar?.format)}`,
      );
    }
    const divergence = options.divergence ?? divergenceFromJSON(sidecar.divergence);
    const generator = bregmanGeneratorOf(divergence);
    if (generator === null || generator.dim !== sidecar.dim) {
      throw new SearchError(
        component,
        'INVALID_ARGUMENT',
        `expected a Bregman divergence of dim ${sidecar.dim}, got ${describeValue(divergence)}`,
      );
    }
    const index = new usearch.Index({
      dimensions: sidecar.dim + 2,
      metric: usearch.MetricKind.L2sq,
      quantization: usearch.ScalarKind.F32,
      connectivity: sidecar.connectivity,
      expansion_add: 1,
      expansion_search: 1,
      multi: false,
    });
    try {
      index.load(path);
    } catch (error) {
      throw new SearchError(component, 'IO', `expected a usearch index in ${path}, got ${String(error)}`, {
        cause: error,
      });
    }
    const bytes = readFileSync(`${path}.items`);
    const items = new Float32Array(bytes.byteLength / 4);
    new Uint8Array(items.buffer).set(bytes);
    if (index.size() !== sidecar.size || items.length !== sidecar.size * sidecar.dim) {
      throw new SearchError(
        component,
        'BAD_FORMAT',
        `expected ${sidecar.size} items in ${path}, got ${index.size()} (index) and ${items.length / sidecar.dim} (${path}.items)`,
      );
    }
    return new BregmanAnnIndex(
      divergence,
      generator,
      sidecar.queryIn,
      index,
      sidecar.maxNorm,
      sidecar.connectivity,
      items,
      0,
    );
  }
}

/** node-io's atomic write (flushed temporary file, renamed), its failure reported as this package's `IO` error. */
function writeSidecar(path: string, data: string | Uint8Array): void {
  try {
    writeFileAtomic(path, data);
  } catch (error) {
    throw new SearchError('BregmanAnnIndex.save', 'IO', `expected to write ${path}, got ${String(error)}`, {
      cause: error,
    });
  }
}
