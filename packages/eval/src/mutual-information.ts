import { type ContingencyTable, contingencyTable } from './contingency-table';

/** Shannon entropy (nats) of a partition with the given part sizes summing to n. */
function entropy(sizes: Float64Array, n: number): number {
  let h = 0;
  for (const a of sizes) if (a > 0) h -= (a / n) * Math.log(a / n);
  return h;
}

/** MI(U, V) = Σᵢⱼ (nᵢⱼ/N) ln(N nᵢⱼ / (aᵢ bⱼ)), in nats. */
function mutualInformation(table: ContingencyTable): number {
  const { n, rows, cols, cells } = table;
  let mi = 0;
  for (const [i, j, nij] of cells) mi += (nij / n) * Math.log((n * nij) / (rows[i] * cols[j]));
  return Math.max(mi, 0);
}

/** ln(m!) for m = 0 … n, by cumulative sums of ln m (exact to float64 rounding). */
function logFactorials(n: number): Float64Array {
  const out = new Float64Array(n + 1);
  for (let m = 2; m <= n; m++) out[m] = out[m - 1] + Math.log(m);
  return out;
}

/**
 * Expected mutual information of two random labelings with the given part sizes under the hypergeometric
 * ("permutation") model (Vinh, Epps & Bailey, "Information Theoretic Measures for Clusterings Comparison", JMLR
 * 2010, eq. 24a):
 *
 * E[MI] = Σᵢ Σⱼ Σ_{n=max(1, aᵢ+bⱼ−N)}^{min(aᵢ, bⱼ)} (n/N) ln(N n/(aᵢ bⱼ)) ·
 *         aᵢ! bⱼ! (N−aᵢ)! (N−bⱼ)! / (N! n! (aᵢ−n)! (bⱼ−n)! (N−aᵢ−bⱼ+n)!)
 *
 * computed exactly (factorials as sums of logarithms), in nats.
 */
export function expectedMutualInformation(rows: Float64Array, cols: Float64Array, n: number): number {
  const lf = logFactorials(n);
  let emi = 0;
  for (const a of rows) {
    for (const b of cols) {
      const start = Math.max(1, a + b - n);
      const end = Math.min(a, b);
      const fixed = lf[a] + lf[b] + lf[n - a] + lf[n - b] - lf[n];
      for (let nij = start; nij <= end; nij++) {
        const logP = fixed - lf[nij] - lf[a - nij] - lf[b - nij] - lf[n - a - b + nij];
        emi += (nij / n) * Math.log((n * nij) / (a * b)) * Math.exp(logP);
      }
    }
  }
  return emi;
}

/**
 * Normalised mutual information with the arithmetic mean of the entropies (scikit-learn's default, which PML
 * calls): NMI = MI(U, V) / ((H(U) + H(V)) / 2) ∈ [0, 1], 1 for identical partitions (up to renaming). When both
 * labelings have a single part, NMI = 1 (a perfect match).
 *
 * @param labels the true class of each item.
 * @param clusters the cluster of each item.
 */
export function normalizedMutualInformation(labels: Int32Array, clusters: Int32Array): number {
  const table = contingencyTable('normalizedMutualInformation', labels, clusters);
  if (table.rows.length === table.cols.length && table.rows.length === 1) return 1;
  const mi = mutualInformation(table);
  if (mi === 0) return 0;
  const normalizer = (entropy(table.rows, table.n) + entropy(table.cols, table.n)) / 2;
  return mi / Math.max(normalizer, Number.EPSILON);
}

/**
 * Adjusted mutual information (Vinh, Epps & Bailey, JMLR 2010), with the arithmetic mean of the entropies as
 * scikit-learn's default:
 *
 * AMI = (MI − E[MI]) / ((H(U) + H(V))/2 − E[MI]),
 *
 * with the exact expected mutual information {@link expectedMutualInformation}. 1 for identical partitions, ≈ 0 in
 * expectation for independent ones (can be negative). When both labelings have a single part, AMI = 1.
 *
 * @param labels the true class of each item.
 * @param clusters the cluster of each item.
 */
export function adjustedMutualInformation(labels: Int32Array, clusters: Int32Array): number {
  const table = contingencyTable('adjustedMutualInformation', labels, clusters);
  if (table.rows.length === table.cols.length && table.rows.length === 1) return 1;
  const mi = mutualInformation(table);
  const emi = expectedMutualInformation(table.rows, table.cols, table.n);
  const normalizer = (entropy(table.rows, table.n) + entropy(table.cols, table.n)) / 2;
  let denominator = normalizer - emi;
  // As scikit-learn: keep the sign, never divide by zero.
  denominator = denominator < 0 ? Math.min(denominator, -Number.EPSILON) : Math.max(denominator, Number.EPSILON);
  return (mi - emi) / denominator;
}
