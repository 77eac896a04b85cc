import type * as tf from '@tensorflow/tfjs-core';
import {
  type Divergence,
  type QuerySlot,
  SquaredEuclideanDivergence,
  bregmanKMeans,
  resolveQuerySlot,
  checkEmbeddings,
} from '@empirical-bregman/bregman-core';
import { describeValue } from '@empirical-bregman/common';
import { type KnnSearchPool, type Neighbours, exactKnn } from '@empirical-bregman/search';
import { checkInteger, checkLabels } from './check-labels';
import { type ClusteringMetrics, clusteringMetrics } from './clustering-metrics';
import { EvaluationError } from './evaluation-error';
import { type PairMetrics, pairMetrics } from './pair-metrics';
import { samplePairs } from './sample-pairs';
import { type KSpec, resolveK } from './resolve-k';
import { type RetrievalMetricName, type RetrievalMetrics, retrievalMetrics } from './retrieval-metrics';

/** How to cluster the queries for NMI/AMI/ARI/RI/purity. */
export type ClusteringMethod =
  /** Plain k-means (squared Euclidean), as PML (faiss k-means). */
  | 'kmeans'
  /**
   * Bregman k-means under the evaluated divergence, D(x, c) with the point in the left slot (bregman-core's
   * `bregmanKMeans`, Banerjee et al. 2005); for a non-Bregman divergence, Lloyd's algorithm with mean centroids.
   */
  | 'bregman-kmeans';

export interface EvaluateOptions {
  /** The divergence to evaluate (smaller is closer). */
  readonly divergence: Divergence;
  /** Query embeddings [nq, d] (not disposed). */
  readonly queries: tf.Tensor2D;
  /** Class of each query. */
  readonly queryLabels: Int32Array;
  /** Reference embeddings [nr, d] (not disposed). Default: the queries themselves (self-match excluded). */
  readonly references?: tf.Tensor2D;
  /** Class of each reference (required with `references`). */
  readonly referenceLabels?: Int32Array;
  /**
   * Query i is reference i (PML's `ref_includes_query`): its self-match is excluded and it is not counted among its
   * own relevant references. Default: true when `references` is omitted or is the `queries` tensor, else false.
   */
  readonly referenceIncludesQueries?: boolean;
  /** The query's slot in D: `'left'` ranks by D(q, r), `'right'` by D(r, q). Default `'left'`. */
  readonly querySlot?: QuerySlot;
  /** @deprecated Use `querySlot` (same values); kept as an alias. Both given must agree. */
  readonly queryIn?: QuerySlot;
  /** Neighbours retrieved (default `'max_bin_count'`, which makes R-precision and MAP@R exact). */
  readonly k?: KSpec;
  /** Per-class averaging of the retrieval metrics (PML's `avg_of_avgs`). Default false. */
  readonly avgOfAvgs?: boolean;
  /** Retrieval metrics to compute (default all). */
  readonly include?: readonly RetrievalMetricName[];
  /** The K of Recall@K (default 1, 2, 4, … ≤ k). */
  readonly recallAt?: readonly number[];
  /** Voters in kNN classification (default min(10, k)). */
  readonly knnVotes?: number;
  /** Clusterings to score (default `['kmeans', 'bregman-kmeans']`; `[]` skips clustering). */
  readonly clustering?: readonly ClusteringMethod[];
  /** Seed of the k-means seeding and the pair sample (default 0). */
  readonly seed?: number;
  /**
   * Pair metrics (ROC-AUC, AP over same/different-class pairs): all query × reference pairs when at most
   * `maxPairs`, else a uniform sample of `maxPairs` (default 1,000,000); 0 skips them.
   */
  readonly maxPairs?: number;
  /** Block sizes of the exact k-NN (see search's `exactKnn`). */
  readonly queryBlockSize?: number;
  readonly referenceBlockSize?: number;
  /**
   * Run the exact k-NN on worker threads: passed through to search's `exactKnn` (e.g. `knnPool(workerPool)` from
   * `@empirical-bregman/search/node`; this package imports no worker code itself).
   */
  readonly pool?: KnnSearchPool;
  /** Also return the neighbour lists. Default false. */
  readonly returnNeighbours?: boolean;
}

export interface Evaluation {
  /** Neighbours retrieved per query. */
  readonly k: number;
  /** Retrieval metrics (see `retrievalMetrics`). */
  readonly retrieval: RetrievalMetrics;
  /** Clustering metrics of the queries by method. */
  readonly clustering: Partial<Record<ClusteringMethod, ClusteringMetrics>>;
  /** Pair metrics, with whether the pairs were sampled; absent with `maxPairs: 0`. */
  readonly pairs?: PairMetrics & { readonly sampled: boolean };
  /** The exact neighbour lists, with `returnNeighbours`. */
  readonly neighbours?: Neighbours;
}

/**
 * Evaluates a divergence on labelled embeddings, the way every result of the project is judged: exact blockwise
 * k-NN under D (memory O(block + nq·k)), the retrieval metrics of PML's `AccuracyCalculator` (precision@1,
 * R-precision, MAP@R, MAP, MRR, Recall@K, kNN accuracy), clustering of the queries into as many clusters as query
 * labels (k-means and Bregman k-means, seeded k-means++ with restarts: NMI, AMI, ARI, Rand index, purity) and pair
 * metrics (ROC-AUC, AP).
 *
 * Async because it reads results back from the backend. Creates no tensor that outlives the call.
 *
 * ```ts
 * const result = await evaluate({ divergence, queries, queryLabels, k: 'max_bin_count' });
 * result.retrieval.mapAtR;
 * ```
 */
export async function evaluate(options: EvaluateOptions): Promise<Evaluation> {
  const component = 'evaluate';
  if (options === null || typeof options !== 'object' || !options.divergence) {
    throw new EvaluationError(
      component,
      'INVALID_ARGUMENT',
      `expected options with a divergence, got ${describeValue(options)}`,
    );
  }
  const { divergence } = options;
  const queries = checkEmbeddings(component, 'queries', options.queries);
  const nq = queries.shape[0];
  const queryLabels = checkLabels(component, 'queryLabels', options.queryLabels, nq);
  const references =
    options.references === undefined ? queries : checkEmbeddings(component, 'references', options.references);
  if (options.references !== undefined && options.referenceLabels === undefined) {
    throw new EvaluationError(component, 'INVALID_ARGUMENT', 'expected referenceLabels with references, got none');
  }
  const referenceLabels = checkLabels(
    component,
    'referenceLabels',
    options.referenceLabels ?? queryLabels,
    references.shape[0],
  );
  const selfIncluded = options.referenceIncludesQueries ?? references === queries;
  const querySlot = resolveQuerySlot(component, options.querySlot, { name: 'queryIn', value: options.queryIn });
  const k = resolveK(options.k ?? 'max_bin_count', queryLabels, referenceLabels, selfIncluded);
  const maxPairs = checkInteger(component, 'maxPairs', options.maxPairs ?? 1_000_000, 0);
  const seed = options.seed ?? 0;

  const neighbours = await exactKnn(divergence, queries, references, {
    k,
    querySlot,
    excludeSelf: selfIncluded,
    queryBlockSize: options.queryBlockSize,
    referenceBlockSize: options.referenceBlockSize,
    pool: options.pool,
  });
  const retrieval = retrievalMetrics(neighbours, queryLabels, referenceLabels, {
    referenceIncludesQueries: selfIncluded,
    avgOfAvgs: options.avgOfAvgs,
    include: options.include,
    recallAt: options.recallAt,
    knnVotes: options.knnVotes,
  });

  const clustering: Partial<Record<ClusteringMethod, ClusteringMetrics>> = {};
  const methods = options.clustering ?? ['kmeans', 'bregman-kmeans'];
  const numClasses = new Set(queryLabels).size;
  for (const method of methods) {
    if (method !== 'kmeans' && method !== 'bregman-kmeans') {
      throw new EvaluationError(
        component,
        'INVALID_ARGUMENT',
        `expected clustering methods 'kmeans' or 'bregman-kmeans', got ${describeValue(method)}`,
      );
    }
    const { assignments, centroids } = bregmanKMeans(
      queries,
      method === 'kmeans' ? new SquaredEuclideanDivergence() : divergence,
      { k: numClasses, seed },
    );
    centroids.dispose();
    clustering[method] = clusteringMetrics(queryLabels, assignments);
  }

  let pairs: (PairMetrics & { sampled: boolean }) | undefined;
  if (maxPairs > 0) {
    const sample = await samplePairs(divergence, queries, references, queryLabels, referenceLabels, {
      querySlot,
      excludeSelf: selfIncluded,
      maxPairs,
      seed,
    });
    pairs = { ...pairMetrics(sample.divergences, sample.sameClass), sampled: sample.sampled };
  }
  return {
    k,
    retrieval,
    clustering,
    pairs,
    neighbours: options.returnNeighbours === true ? neighbours : undefined,
  };
}
