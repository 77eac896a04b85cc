import { contingencyTable, pairs } from './contingency-table';

/** Σᵢⱼ C(nᵢⱼ, 2), Σᵢ C(aᵢ, 2), Σⱼ C(bⱼ, 2), C(N, 2). */
function pairCounts(component: string, labels: Int32Array, clusters: Int32Array) {
  const table = contingencyTable(component, labels, clusters);
  let together = 0;
  for (const [, , nij] of table.cells) together += pairs(nij);
  let sameLabel = 0;
  for (const a of table.rows) sameLabel += pairs(a);
  let sameCluster = 0;
  for (const b of table.cols) sameCluster += pairs(b);
  return { together, sameLabel, sameCluster, total: pairs(table.n) };
}

/**
 * Rand index (Rand, "Objective Criteria for the Evaluation of Clustering Methods", JASA 1971): the fraction of the
 * C(N, 2) item pairs on which the two partitions agree (both together or both apart),
 *
 * RI = (C(N,2) + 2 Σᵢⱼ C(nᵢⱼ,2) − Σᵢ C(aᵢ,2) − Σⱼ C(bⱼ,2)) / C(N,2) ∈ [0, 1]   (1 for N < 2).
 */
export function randIndex(labels: Int32Array, clusters: Int32Array): number {
  const c = pairCounts('randIndex', labels, clusters);
  if (c.total === 0) return 1;
  return (c.total + 2 * c.together - c.sameLabel - c.sameCluster) / c.total;
}

/**
 * Adjusted Rand index (Hubert & Arabie, "Comparing Partitions", J. Classification 1985):
 *
 * ARI = (Σᵢⱼ C(nᵢⱼ,2) − E) / (½(Σᵢ C(aᵢ,2) + Σⱼ C(bⱼ,2)) − E),  E = Σᵢ C(aᵢ,2) · Σⱼ C(bⱼ,2) / C(N,2),
 *
 * 1 for identical partitions, ≈ 0 in expectation for random ones, ≥ −1. When the denominator vanishes (both
 * partitions trivial and equal), ARI = 1, as scikit-learn.
 */
export function adjustedRandIndex(labels: Int32Array, clusters: Int32Array): number {
  const c = pairCounts('adjustedRandIndex', labels, clusters);
  if (c.total === 0) return 1;
  const expected = (c.sameLabel * c.sameCluster) / c.total;
  const max = (c.sameLabel + c.sameCluster) / 2;
  if (max === expected) return 1;
  return (c.together - expected) / (max - expected);
}
