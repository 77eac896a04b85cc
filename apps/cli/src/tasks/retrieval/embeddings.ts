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

/** A report note naming the Recall@K a split does not support, or nothing. */
export function recallNotApplicable(labels: Int32Array): string[] {
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
