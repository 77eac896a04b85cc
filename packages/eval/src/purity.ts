import { contingencyTable } from './contingency-table';

/**
 * Purity (Manning, Raghavan & Schütze, "Introduction to Information Retrieval", sec. 16.3): each cluster is
 * credited with its most frequent class,
 *
 * purity = (1/N) Σⱼ maxᵢ nᵢⱼ ∈ (0, 1],
 *
 * 1 when every cluster holds one class (also trivially with one cluster per item, so read it with NMI/AMI).
 */
export function purity(labels: Int32Array, clusters: Int32Array): number {
  const table = contingencyTable('purity', labels, clusters);
  const best = new Float64Array(table.cols.length);
  for (const [, j, nij] of table.cells) best[j] = Math.max(best[j], nij);
  let s = 0;
  for (const b of best) s += b;
  return s / table.n;
}
