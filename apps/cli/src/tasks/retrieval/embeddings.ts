import type { Divergence, QuerySlot } from '@empirical-bregman/bregman-core';
import type { LabelledData } from '@empirical-bregman/datasets';
import { type ClusteringMethod, evaluate, resolveK } from '@empirical-bregman/eval';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { MetricValues } from '../../report/report-data';

/** The embeddings of every sample of `data`, computed in batches (caller disposes the result). */
export function embedAll(trunk: tfl.LayersModel, data: LabelledData, batchSize = 500): tf.Tensor2D {
  return embedSamples(trunk, data.features, data.labels.length, data.sampleShape, batchSize);
}

/** Embeddings of `n` samples of `sampleShape` stored row-major in `features`, in batches (caller disposes). */
export function embedSamples(
  trunk: tfl.LayersModel,
  features: Float32Array,
  n: number,
  sampleShape: readonly number[],
  batchSize = 500,
): tf.Tensor2D {
  const shape = [...sampleShape];
  const size = shape.reduce((a, b) => a * b, 1);
  const parts: tf.Tensor[] = [];
  for (let start = 0; start < n; start += batchSize) {
    const end = Math.min(n, start + batchSize);
    parts.push(
      tf.tidy(() => {
        const x = tf.tensor(features.subarray(start * size, end * size), [end - start, ...shape]);
        return trunk.apply(x, { training: false }) as tf.Tensor;
      }),
    );
  }
  const out = tf.concat(parts, 0) as tf.Tensor2D;
  tf.dispose(parts);
  return out;
}

/** Raw features as a [n, d] tensor (the untrained "raw input" rows). */
export function rawFeatures(data: LabelledData): tf.Tensor2D {
  const size = data.sampleShape.reduce((a, b) => a * b, 1);
  return tf.tensor2d(data.features, [data.labels.length, size]);
}

export interface ScoreOptions {
  readonly querySlot?: QuerySlot;
  /** Also cluster (NMI, AMI); slower. */
  readonly clustering?: boolean;
  /** Cluster with Bregman k-means under the divergence too (learned Bregman heads). */
  readonly bregmanClustering?: boolean;
  readonly seed?: number;
  /**
   * The domain of each sample (`LabelledData.domains`, e.g. which vendor drew an emoji). With two or more domains the
   * retrieval is cross-domain, as In-Shop's query/gallery protocol: each domain's samples are queried against the
   * other domains' samples only, and the metrics are averaged over all queries. Clustering still groups all samples.
   */
  readonly domains?: Int32Array;
}

/** The Recall@K a report shows, when the split has enough items of one class. */
export const RECALL_AT = [1, 2, 4, 8] as const;

/**
 * The K of {@link RECALL_AT} a split supports: every sample is a query against the others (itself excluded), so K
 * goes up to the largest class count minus one. A 3-class split of 20 test items has no R@8.
 */
export function supportedRecallAt(labels: Int32Array): number[] {
  const maxK = resolveK('max_bin_count', labels, labels, true);
  return RECALL_AT.filter((K) => K <= maxK);
}

/** Each domain's sample indices, when there are two or more domains (else null: every sample queries all others). */
function domainParts(domains: Int32Array | undefined): Int32Array[] | null {
  if (!domains) return null;
  const parts = new Map<number, number[]>();
  domains.forEach((g, i) => {
    parts.set(g, [...(parts.get(g) ?? []), i]);
  });
  if (parts.size < 2) return null;
  return [...parts.keys()].sort((a, b) => a - b).map((g) => Int32Array.from(parts.get(g)!));
}

/** The K of {@link RECALL_AT} a cross-domain split supports: K up to the fewest references any query has. */
function crossDomainRecallAt(parts: readonly Int32Array[], n: number): number[] {
  const fewest = Math.min(...parts.map((p) => n - p.length));
  return RECALL_AT.filter((K) => K <= fewest);
}

/** A report note naming the Recall@K a split does not support, or nothing. */
export function recallNotApplicable(labels: Int32Array, domains?: Int32Array): string[] {
  const parts = domainParts(domains);
  if (parts) {
    const fewest = Math.min(...parts.map((p) => labels.length - p.length));
    const missing = RECALL_AT.filter((K) => K > fewest);
    return missing.length === 0
      ? []
      : [
          `Recall@${missing.join(', @')} not applicable: a query's references are the other domains' test items, ${fewest} at fewest, so K ≤ ${fewest}`,
        ];
  }
  const maxK = resolveK('max_bin_count', labels, labels, true);
  const missing = RECALL_AT.filter((K) => K > maxK);
  if (missing.length === 0) return [];
  return [
    `Recall@${missing.join(', @')} not applicable: the largest test class has ${maxK + 1} items and a query's neighbours exclude itself, so K ≤ ${maxK}`,
  ];
}

/**
 * Retrieval (and optionally clustering) metrics of `embeddings` under `divergence`, every sample a query against all
 * others (self-match excluded), flattened to the names the reports use.
 */
export async function scoreEmbeddings(
  divergence: Divergence,
  embeddings: tf.Tensor2D,
  labels: Int32Array,
  options: ScoreOptions = {},
): Promise<MetricValues> {
  const parts = domainParts(options.domains);
  if (parts) return scoreAcrossDomains(divergence, embeddings, labels, parts, options);
  const clustering: ClusteringMethod[] = options.clustering
    ? options.bregmanClustering
      ? ['kmeans', 'bregman-kmeans']
      : ['kmeans']
    : [];
  const result = await evaluate({
    divergence,
    queries: embeddings,
    queryLabels: labels,
    querySlot: options.querySlot ?? 'left',
    clustering,
    maxPairs: 0,
    seed: options.seed ?? 0,
    include: options.clustering
      ? ['precisionAt1', 'rPrecision', 'mapAtR', 'recallAtK', 'knnAccuracy']
      : ['precisionAt1', 'mapAtR'],
    recallAt: supportedRecallAt(labels),
  });
  const metrics: Record<string, number> = {};
  const r = result.retrieval;
  if (r.precisionAt1 !== undefined) metrics.precisionAt1 = r.precisionAt1;
  if (r.rPrecision !== undefined) metrics.rPrecision = r.rPrecision;
  if (r.mapAtR !== undefined) metrics.mapAtR = r.mapAtR;
  if (r.knnAccuracy !== undefined) metrics.knnAccuracy = r.knnAccuracy;
  for (const [k, v] of Object.entries(r.recallAtK ?? {})) metrics[`recallAt${k}`] = v;
  const km = result.clustering.kmeans;
  if (km) {
    metrics.nmi = km.nmi;
    metrics.ami = km.ami;
    metrics.ari = km.ari;
  }
  // Bregman k-means under the learned divergence: the Deep Divergence Learning clustering task reports its Rand
  // index and ARI.
  const bkm = result.clustering['bregman-kmeans'];
  if (bkm) {
    metrics.nmiBregman = bkm.nmi;
    metrics.amiBregman = bkm.ami;
    metrics.ariBregman = bkm.ari;
    metrics.randIndexBregman = bkm.randIndex;
  }
  return metrics;
}

/**
 * Cross-domain retrieval: each domain's samples queried against every other domain's samples (no query is its own
 * reference), the per-domain metrics weighted by their evaluated queries, so they are means over all queries. k is
 * the larger of R (max_bin_count) and the largest Recall@K, so MAP@R stays exact and Recall@8 is defined. With one
 * drawing per class and domain and two domains, R = 1 and MAP@R = R-precision = P@1.
 */
async function scoreAcrossDomains(
  divergence: Divergence,
  embeddings: tf.Tensor2D,
  labels: Int32Array,
  parts: readonly Int32Array[],
  options: ScoreOptions,
): Promise<MetricValues> {
  const include = options.clustering
    ? (['precisionAt1', 'rPrecision', 'mapAtR', 'recallAtK', 'knnAccuracy'] as const)
    : (['precisionAt1', 'mapAtR'] as const);
  const recallAt = crossDomainRecallAt(parts, labels.length);
  const sums: Record<string, number> = {};
  let evaluated = 0;
  for (const queryIndices of parts) {
    const inQuery = new Uint8Array(labels.length);
    for (const i of queryIndices) inQuery[i] = 1;
    const others: number[] = [];
    for (let i = 0; i < labels.length; i++) if (inQuery[i] === 0) others.push(i);
    const referenceIndices = Int32Array.from(others);
    const queryLabels = Int32Array.from(queryIndices, (i) => labels[i]!);
    const referenceLabels = Int32Array.from(referenceIndices, (i) => labels[i]!);
    const queries = tf.gather(embeddings, queryIndices) as tf.Tensor2D;
    const references = tf.gather(embeddings, referenceIndices) as tf.Tensor2D;
    try {
      const k = Math.min(
        referenceIndices.length,
        Math.max(resolveK('max_bin_count', queryLabels, referenceLabels), ...recallAt),
      );
      const { retrieval: r } = await evaluate({
        divergence,
        queries,
        queryLabels,
        references,
        referenceLabels,
        referenceIncludesQueries: false,
        querySlot: options.querySlot ?? 'left',
        k,
        clustering: [],
        maxPairs: 0,
        seed: options.seed ?? 0,
        include,
        recallAt,
      });
      const w = r.numEvaluatedQueries;
      evaluated += w;
      const add = (name: string, value: number | undefined, weight = w) => {
        if (value !== undefined) sums[name] = (sums[name] ?? 0) + value * weight;
      };
      add('precisionAt1', r.precisionAt1);
      add('rPrecision', r.rPrecision);
      add('mapAtR', r.mapAtR);
      for (const [K, v] of Object.entries(r.recallAtK ?? {})) add(`recallAt${K}`, v);
      // kNN accuracy is judged on every query, lone ones included.
      add('knnAccuracy', r.knnAccuracy, queryIndices.length);
    } finally {
      tf.dispose([queries, references]);
    }
  }
  const metrics: Record<string, number> = {};
  for (const [name, sum] of Object.entries(sums)) {
    metrics[name] = name === 'knnAccuracy' ? sum / labels.length : evaluated > 0 ? sum / evaluated : 0;
  }
  if (options.clustering) {
    // Clustering is not a query/reference task: every sample, whatever its domain, as without domains.
    const { domains: _, ...rest } = options;
    const all = await scoreEmbeddings(divergence, embeddings, labels, rest);
    for (const name of ['nmi', 'ami', 'ari', 'nmiBregman', 'amiBregman', 'ariBregman', 'randIndexBregman']) {
      if (all[name] !== undefined) metrics[name] = all[name]!;
    }
  }
  return metrics;
}
