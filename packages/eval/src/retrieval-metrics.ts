import { describeValue } from '@empirical-bregman/common';
import { checkInteger, checkLabels, countLabels } from './check-labels';
import { EvaluationError } from './evaluation-error';

/** The retrieval metrics {@link retrievalMetrics} can compute, named as in the literature. */
export type RetrievalMetricName =
  | 'precisionAt1'
  | 'rPrecision'
  | 'mapAtR'
  | 'meanAveragePrecision'
  | 'meanReciprocalRank'
  | 'recallAtK'
  | 'knnAccuracy';

export const RETRIEVAL_METRIC_NAMES: readonly RetrievalMetricName[] = [
  'precisionAt1',
  'rPrecision',
  'mapAtR',
  'meanAveragePrecision',
  'meanReciprocalRank',
  'recallAtK',
  'knnAccuracy',
];

export interface RetrievalMetricsOptions {
  /**
   * The reference set contains the queries (query i is reference i), as PML's `ref_includes_query` /
   * `embeddings_come_from_same_source`: the neighbour lists must already exclude the query itself, and the number of
   * relevant references of a query is the count of its label minus one. Default false.
   */
  readonly referenceIncludesQueries?: boolean;
  /**
   * Average per class first, then over classes (PML's `avg_of_avgs`): each class present among the evaluated
   * queries weighs the same, whatever its size. Default false (plain mean over queries).
   */
  readonly avgOfAvgs?: boolean;
  /** Which metrics to compute (default all). */
  readonly include?: readonly RetrievalMetricName[];
  /** The K of Recall@K, each ≤ the neighbour lists' k (default 1, 2, 4, 8, … up to k). */
  readonly recallAt?: readonly number[];
  /** Neighbours voting in kNN classification, ≤ k (default min(10, k)); ties go to the label voted first. */
  readonly knnVotes?: number;
}

export interface RetrievalMetrics {
  /** Fraction of queries whose nearest reference has their label. */
  readonly precisionAt1?: number;
  /** Mean over queries of (relevant among the first R) / R. */
  readonly rPrecision?: number;
  /** MAP@R of "A Metric Learning Reality Check", sec. 3.2. */
  readonly mapAtR?: number;
  /** Mean average precision over the k retrieved neighbours. */
  readonly meanAveragePrecision?: number;
  /** Mean of 1 / (rank of the first relevant neighbour), 0 when none is among the k. */
  readonly meanReciprocalRank?: number;
  /** Recall@K by K: fraction of queries with at least one relevant reference among the K nearest. */
  readonly recallAtK?: Readonly<Record<number, number>>;
  /** Majority-vote kNN classification accuracy over all queries. */
  readonly knnAccuracy?: number;
  /** Queries the retrieval metrics averaged over (lone-label queries are left out). */
  readonly numEvaluatedQueries: number;
  /** Queries whose label has no other item in the reference set. */
  readonly numLoneQueries: number;
  /** Things the caller should know, e.g. R-precision computed with k < R (then truncated as PML does). */
  readonly warnings: string[];
}

/**
 * Retrieval metrics from neighbour lists and labels, with the definitions and options of pytorch-metric-learning's
 * `AccuracyCalculator` (Musgrave, Belongie & Lim, "A Metric Learning Reality Check", ECCV 2020, sec. 3.2).
 *
 * For a query q with label y, ranked neighbour labels l₁ … l_k, rel_r = [l_r = y], P(r) = (1/r) Σ_{s≤r} rel_s and
 * R = #{references with label y} (minus 1 when the references include the queries):
 * - precision@1 = rel₁;
 * - R-precision = (1/R') Σ_{r≤R'} rel_r, with R' = min(R, k);
 * - AP@R = (1/R') Σ_{r≤R'} rel_r · P(r)   (MAP@R is its mean);
 * - AP = Σ_{r≤k} rel_r · P(r) / max(1, Σ_{r≤k} rel_r)   (mean average precision over the k neighbours);
 * - RR = 1 / min{r : rel_r = 1}, or 0 when no relevant neighbour is among the k;
 * - Recall@K = [Σ_{r≤K} rel_r > 0]   (Song et al., "Deep Metric Learning via Lifted Structured Feature Embedding", 2016);
 * - kNN accuracy = [argmax_c #{r ≤ v : l_r = c} = y], ties between labels broken by the nearer first vote.
 *
 * Queries whose label has no (other) item in the reference set ("lone" queries) cannot retrieve anything relevant
 * and are left out of every retrieval metric, as in PML; they still count in kNN accuracy (a classifier is judged
 * on every item). With no evaluated query, each metric is 0 (PML's convention). With `avgOfAvgs`, the per-query
 * values are averaged within each label, then the label means are averaged.
 *
 * ```ts
 * // Query labels 0, 1; reference labels 0, 0, 1; neighbours (1, 2) and (0, 2).
 * const m = retrievalMetrics({ numQueries: 2, k: 2, indices: new Int32Array([1, 2, 0, 2]) },
 *   new Int32Array([0, 1]), new Int32Array([0, 0, 1]));
 * m.precisionAt1; // 0.5
 * ```
 *
 * @param neighbours nearest references of each query, nearest first (see `exactKnn`); only `indices`, `k` and
 *   `numQueries` are read.
 * @param queryLabels class of each query.
 * @param referenceLabels class of each reference.
 */
export function retrievalMetrics(
  neighbours: { readonly numQueries: number; readonly k: number; readonly indices: Int32Array },
  queryLabels: Int32Array,
  referenceLabels: Int32Array,
  options: RetrievalMetricsOptions = {},
): RetrievalMetrics {
  const component = 'retrievalMetrics';
  const nq = checkInteger(component, 'neighbours.numQueries', neighbours.numQueries, 1);
  const k = checkInteger(component, 'neighbours.k', neighbours.k, 1);
  if (!(neighbours.indices instanceof Int32Array) || neighbours.indices.length !== nq * k) {
    throw new EvaluationError(
      component,
      'INVALID_SHAPE',
      `expected neighbours.indices to be an Int32Array of length numQueries·k = ${nq * k}, got ${describeValue(neighbours.indices)}`,
    );
  }
  checkLabels(component, 'queryLabels', queryLabels, nq);
  checkLabels(component, 'referenceLabels', referenceLabels);
  const nr = referenceLabels.length;
  const selfIncluded = options.referenceIncludesQueries === true;
  if (selfIncluded && nr < nq) {
    throw new EvaluationError(
      component,
      'INVALID_SHAPE',
      `expected at least as many references as queries when the references include the queries, got ${nr} references and ${nq} queries`,
    );
  }
  const include = new Set(options.include ?? RETRIEVAL_METRIC_NAMES);
  for (const name of include) {
    if (!RETRIEVAL_METRIC_NAMES.includes(name)) {
      throw new EvaluationError(
        component,
        'INVALID_ARGUMENT',
        `expected metric names among ${RETRIEVAL_METRIC_NAMES.join(', ')}, got ${describeValue(name)}`,
      );
    }
  }
  const recallAt = options.recallAt ?? defaultRecallAt(k);
  for (const K of recallAt) checkInteger(component, 'recallAt[]', K, 1, k);
  const votes = checkInteger(component, 'knnVotes', options.knnVotes ?? Math.min(10, k), 1, k);

  const referenceCounts = countLabels(referenceLabels);
  const selfCount = selfIncluded ? 1 : 0;
  const ranked = new Int32Array(k);
  const relevant = new Uint8Array(k);

  // Per-query values of the metrics averaged over non-lone queries.
  const evaluated: number[] = [];
  const p1: number[] = [];
  const rp: number[] = [];
  const mapr: number[] = [];
  const ap: number[] = [];
  const rr: number[] = [];
  const rec: number[][] = recallAt.map(() => []);
  let truncated = 0;
  let lone = 0;
  const knnCorrect = new Float64Array(nq);

  for (let i = 0; i < nq; i++) {
    const y = queryLabels[i];
    for (let r = 0; r < k; r++) {
      const j = neighbours.indices[i * k + r];
      if (j < 0 || j >= nr || !Number.isInteger(j)) {
        throw new EvaluationError(
          component,
          'INVALID_ARGUMENT',
          `expected reference indices in [0, ${nr}), got ${j} for query ${i} at rank ${r + 1}`,
        );
      }
      ranked[r] = referenceLabels[j];
      relevant[r] = ranked[r] === y ? 1 : 0;
    }
    knnCorrect[i] = majorityVote(ranked, votes) === y ? 1 : 0;

    const R = (referenceCounts.get(y) ?? 0) - selfCount;
    if (R <= 0) {
      lone++;
      continue;
    }
    evaluated.push(i);
    p1.push(relevant[0]);
    const rCut = Math.min(R, k);
    if (rCut < R) truncated++;
    let hits = 0;
    let hitsAtR = 0;
    let sumPrecisionAtR = 0;
    let sumPrecision = 0;
    let firstHit = 0;
    for (let r = 0; r < k; r++) {
      if (relevant[r] === 0) continue;
      hits++;
      const precision = hits / (r + 1);
      sumPrecision += precision;
      if (r < rCut) {
        hitsAtR++;
        sumPrecisionAtR += precision;
      }
      if (firstHit === 0) firstHit = r + 1;
    }
    rp.push(hitsAtR / rCut);
    mapr.push(sumPrecisionAtR / rCut);
    ap.push(sumPrecision / Math.max(1, hits));
    rr.push(firstHit === 0 ? 0 : 1 / firstHit);
    for (let t = 0; t < recallAt.length; t++) {
      let found = 0;
      for (let r = 0; r < recallAt[t]; r++) found |= relevant[r];
      rec[t].push(found);
    }
  }

  const evaluatedLabels = Int32Array.from(evaluated, (i) => queryLabels[i]);
  const mean = (values: number[]) => average(values, evaluatedLabels, options.avgOfAvgs === true);
  const warnings: string[] = [];
  const wantsR = include.has('rPrecision') || include.has('mapAtR');
  if (wantsR && truncated > 0) {
    warnings.push(
      `retrievalMetrics: expected k ≥ R for R-precision and MAP@R, got k = ${k} smaller than R for ${truncated} queries (values truncated at k as PML does; use k = 'max_bin_count')`,
    );
  }
  if (evaluated.length === 0) {
    warnings.push(
      'retrievalMetrics: expected some query label to occur in the reference set, got none (metrics are 0)',
    );
  }
  const out: {
    -readonly [K in keyof RetrievalMetrics]: RetrievalMetrics[K];
  } = { numEvaluatedQueries: evaluated.length, numLoneQueries: lone, warnings };
  if (include.has('precisionAt1')) out.precisionAt1 = mean(p1);
  if (include.has('rPrecision')) out.rPrecision = mean(rp);
  if (include.has('mapAtR')) out.mapAtR = mean(mapr);
  if (include.has('meanAveragePrecision')) out.meanAveragePrecision = mean(ap);
  if (include.has('meanReciprocalRank')) out.meanReciprocalRank = mean(rr);
  if (include.has('recallAtK')) {
    const byK: Record<number, number> = {};
    recallAt.forEach((K, t) => {
      byK[K] = mean(rec[t]);
    });
    out.recallAtK = byK;
  }
  if (include.has('knnAccuracy')) {
    out.knnAccuracy = average(Array.from(knnCorrect), queryLabels, options.avgOfAvgs === true);
  }
  return out;
}

/** 1, 2, 4, 8, … ≤ k. */
function defaultRecallAt(k: number): number[] {
  const out: number[] = [];
  for (let K = 1; K <= k; K *= 2) out.push(K);
  return out;
}

/**
 * The label with most votes among the first `votes` ranked labels; among tied labels, the one whose first vote
 * comes first (the nearer one).
 */
function majorityVote(ranked: Int32Array, votes: number): number {
  let best = ranked[0];
  let bestCount = 0;
  const counts = new Map<number, number>();
  for (let r = 0; r < votes; r++) counts.set(ranked[r], (counts.get(ranked[r]) ?? 0) + 1);
  // Iterating a Map follows insertion order, i.e. first-vote order: a strict > keeps the nearer label on ties.
  for (const [label, count] of counts) {
    if (count > bestCount) {
      best = label;
      bestCount = count;
    }
  }
  return best;
}

/** Mean of `values`, or with `perClass` the mean over labels of each label's mean. 0 for no values. */
function average(values: ArrayLike<number>, labels: Int32Array, perClass: boolean): number {
  if (values.length === 0) return 0;
  if (!perClass) {
    let s = 0;
    for (let i = 0; i < values.length; i++) s += values[i];
    return s / values.length;
  }
  const sums = new Map<number, [number, number]>();
  for (let i = 0; i < values.length; i++) {
    const entry = sums.get(labels[i]);
    if (entry) {
      entry[0] += values[i];
      entry[1]++;
    } else sums.set(labels[i], [values[i], 1]);
  }
  let s = 0;
  for (const [sum, count] of sums.values()) s += sum / count;
  return s / sums.size;
}
