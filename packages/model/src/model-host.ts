import type * as tf from '@tensorflow/tfjs-core';
import type { Divergence, QuerySlot } from '@empirical-bregman/bregman-core';
import type { Neighbours } from '@empirical-bregman/search';
import type { ModelSink, ModelSource } from './model-source';

/**
 * What a platform adds to the browser-safe core, injected when a model is loaded (as search's `exactKnn` takes a
 * `pool`): `@empirical-bregman/model/node`'s `nodeHost` gives folder paths (fs) and the ANN index (usearch). A model
 * loaded without a host reads URLs, picked files and any {@link ModelSource}, saves to any {@link ModelSink}, and
 * builds exact indexes.
 */
export interface ModelHost {
  /** Opens a folder path (or a `file:` URL) for reading. */
  readonly directorySource?: (path: string) => ModelSource;
  /** Opens a folder path for writing (created when missing). */
  readonly directorySink?: (path: string) => ModelSink;
  /** Builds and loads approximate indexes (`kind: 'ann'`). */
  readonly ann?: AnnIndexProvider;
}

/** Options of an ANN index's build (search/ann's `BregmanAnnIndexOptions`). */
export interface AnnBuildOptions {
  /** The slot queries take; the graph is built for it. */
  readonly querySlot: QuerySlot;
  /** HNSW graph degree M (default 16). */
  readonly connectivity?: number;
  /** Beam width while building (default 128). */
  readonly expansionAdd?: number;
  /** Threads for the build (default 0: all cores; 1 makes the graph reproducible). */
  readonly threads?: number;
}

/** An approximate k-NN index over embeddings (search/ann's `BregmanAnnIndex` is one). */
export interface AnnIndex {
  /** Number of indexed items. */
  readonly size: number;
  /** The slot the index was built for. */
  readonly querySlot: QuerySlot;
  /** The k nearest items of each query row, nearest first, with their exact divergences; queries not disposed. */
  search(queries: tf.Tensor2D, k: number, options?: { readonly width?: number }): Promise<Neighbours>;
  /** Writes the index's own files at `path` (and beside it, with `path` as prefix). */
  save(path: string): void | Promise<void>;
}

/** Builds and loads {@link AnnIndex}es; `@empirical-bregman/model/node`'s `usearchAnn` is the one shipped. */
export interface AnnIndexProvider {
  /** Indexes `items` [n, d] (not disposed) under `divergence` (not owned by the index). */
  build(divergence: Divergence, items: tf.Tensor2D, options: AnnBuildOptions): Promise<AnnIndex>;
  /** Reads an index written by `AnnIndex.save(path)`, searching under `divergence` (not owned by the index). */
  load(path: string, divergence: Divergence): Promise<AnnIndex>;
}
