import { adjustedMutualInformation, normalizedMutualInformation } from './mutual-information';
import { purity } from './purity';
import { adjustedRandIndex, randIndex } from './rand-index';

export interface ClusteringMetrics {
  /** Normalised mutual information (arithmetic mean normaliser). */
  readonly nmi: number;
  /** Adjusted mutual information (exact expected MI). */
  readonly ami: number;
  /** Adjusted Rand index. */
  readonly ari: number;
  /** Rand index. */
  readonly randIndex: number;
  /** Purity. */
  readonly purity: number;
}

/**
 * Every clustering metric of a partition against the true classes: NMI, AMI, ARI, Rand index and purity (see each
 * function for its formula).
 *
 * ```ts
 * clusteringMetrics(new Int32Array([0, 0, 1, 1]), new Int32Array([5, 5, 7, 7])); // all 1
 * ```
 *
 * @param labels the true class of each item.
 * @param clusters the cluster of each item (any integer ids).
 */
export function clusteringMetrics(labels: Int32Array, clusters: Int32Array): ClusteringMetrics {
  return {
    nmi: normalizedMutualInformation(labels, clusters),
    ami: adjustedMutualInformation(labels, clusters),
    ari: adjustedRandIndex(labels, clusters),
    randIndex: randIndex(labels, clusters),
    purity: purity(labels, clusters),
  };
}
