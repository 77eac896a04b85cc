/**
 * Column headers for the metric names the eval package reports, in the order tables show them, then those of the
 * divergence-regression task (regression/regression-metrics.ts; its tables have only these).
 */
const KNOWN: readonly (readonly [string, string])[] = [
  ['precisionAt1', 'P@1'],
  ['rPrecision', 'R-Prec'],
  ['mapAtR', 'MAP@R'],
  ['meanAveragePrecision', 'mAP'],
  ['meanReciprocalRank', 'MRR'],
  ['knnAccuracy', 'kNN acc'],
  ['nmi', 'NMI'],
  ['ami', 'AMI'],
  ['ari', 'ARI'],
  ['randIndex', 'Rand index'],
  ['purity', 'Purity'],
  ['nmiBregman', 'NMI (Bregman k-means)'],
  ['amiBregman', 'AMI (Bregman k-means)'],
  ['ariBregman', 'ARI (Bregman k-means)'],
  ['randIndexBregman', 'Rand index (Bregman k-means)'],
  ['centroidAccuracy', 'centroid acc'],
  ['nll', 'NLL'],
  ['brier', 'Brier'],
  ['ece', 'ECE'],
  ['adaptiveEce', 'aECE'],
  ['aurc', 'AURC'],
  ['temperature', 'τ'],
  ['knnNll', 'kNN NLL'],
  ['knnBrier', 'kNN Brier'],
  ['knnEce', 'kNN ECE'],
  ['unseenAurocMinDivergence', 'unseen AUROC (min D)'],
  ['unseenAurocMaxPosterior', 'unseen AUROC (max p)'],
  ['unseenAurocEnergy', 'unseen AUROC (energy)'],
  ['unseenAurocKnn', 'unseen AUROC (10-NN D)'],
  ['unseenFpr95MinDivergence', 'FPR95 (min D)'],
  ['unseenFpr95MaxPosterior', 'FPR95 (max p)'],
  ['unseenFpr95Energy', 'FPR95 (energy)'],
  ['unseenFpr95Knn', 'FPR95 (10-NN D)'],
  ['mse', 'MSE'],
  ['relMse', 'rel. MSE'],
  ['spearmanRho', 'Spearman ρ'],
  ['asymmetryAgreement', 'asym. agree'],
];
const RANK = new Map(KNOWN.map(([name], i) => [name, i]));
const LABEL = new Map(KNOWN);

/** The K of a Recall@K metric name ('recallAt4', 'recallAtK.4', 'recallAtK4', 'recall@4'), else null. */
function recallK(name: string): number | null {
  const m = /^recall(?:AtK[._]?|At|@)(\d+)$/.exec(name);
  return m ? Number(m[1]) : null;
}

/** The short header of a metric: 'mapAtR' → 'MAP@R', 'recallAt4' → 'R@4'; unknown names are shown as given. */
export function metricLabel(name: string): string {
  const k = recallK(name);
  if (k !== null) return `R@${k}`;
  return LABEL.get(name) ?? name;
}

/**
 * Distinct metric names in table order: the retrieval metrics (P@1, R-Prec, MAP@R, …), Recall@K by K, then the
 * clustering ones (NMI, AMI, …), then any other name in the order first seen.
 */
export function orderMetricNames(names: Iterable<string>): string[] {
  const unique = [...new Set(names)];
  const key = (name: string, seen: number): [number, number] => {
    const k = recallK(name);
    if (k !== null) return [5.5, k];
    const rank = RANK.get(name);
    return rank !== undefined ? [rank, 0] : [1000, seen];
  };
  return unique
    .map((name, seen) => ({ name, key: key(name, seen) }))
    .sort((a, b) => a.key[0] - b.key[0] || a.key[1] - b.key[1])
    .map((e) => e.name);
}

/** A metric value for a table: 3 decimals, scientific notation for very large or very small magnitudes, '—' for
 * a missing or non-finite value. */
export function formatNumber(value: number | null | undefined, digits = 3): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const a = Math.abs(value);
  if (a !== 0 && (a >= 1e5 || a < 10 ** -digits)) return value.toExponential(2);
  return value.toFixed(digits);
}
