import { SeededRandom } from '@empirical-bregman/common';
import type { Divergence } from '@empirical-bregman/bregman-core';
import type { LabelledData } from '@empirical-bregman/datasets';
import {
  type KnnNeighbours,
  calibrationMetrics,
  centroidPosterior,
  centroidUncertainty,
  fitKnnKernel,
  fitTemperature,
  knnKernelPosterior,
  selectivePrediction,
  unseenDetection,
} from '@empirical-bregman/eval';
import { type ClassCentroids, classCentroids } from '@empirical-bregman/model';
import { exactKnn } from '@empirical-bregman/search';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { CalibrationReport, MetricValues, UnseenClassReport } from '../../report/report-data';
import { embedAll } from './embeddings';

/** Neighbours per query of the k-NN estimator and of the k-th-neighbour detection score. */
export const UNCERTAINTY_NEIGHBOURS = 10;

/**
 * The training classes' embeddings, their centroids (the model package's `classCentroids` for the query in the left
 * slot: class means, the right-type Bregman centroid, minimiser of Σ_i D(z_i, μ); what `index.predict` uses),
 * log-priors from the class counts, and the two ways to score new embeddings against them. `dispose()` frees the
 * tensors.
 */
async function trainingReference(trunk: tfl.LayersModel, divergence: Divergence, train: LabelledData) {
  const embeddings = embedAll(trunk, train);
  const dim = embeddings.shape[1];
  let found: ClassCentroids;
  try {
    found = await classCentroids(divergence, (await embeddings.data()) as Float32Array, train.labels, dim, 'left');
  } catch (error) {
    embeddings.dispose();
    throw error;
  }
  const classes = Array.from(found.classes);
  const column = new Int32Array((classes.at(-1) ?? -1) + 1).fill(-1);
  classes.forEach((c, j) => {
    column[c] = j;
  });
  const logPriors = Array.from(found.counts, (n) => Math.log(n / train.labels.length));
  const centroids = tf.tensor2d(found.centroids, [classes.length, dim]);
  return {
    /** The classes with training items, ascending: column j of the centroid divergences is class classes[j]. */
    classes,
    /** Dense label of each class (−1 for a class without training items). */
    column,
    logPriors,
    /** D(z_i, μ_j) row-major [n · C']. */
    async toCentroids(z: tf.Tensor2D): Promise<Float32Array> {
      const d = tf.tidy(() => divergence.pairwise(z, centroids));
      try {
        return (await d.data()) as Float32Array;
      } finally {
        d.dispose();
      }
    },
    /** The k nearest training items of each row of z (query in the left slot), with dense class labels. */
    async neighbours(z: tf.Tensor2D): Promise<KnnNeighbours> {
      const k = Math.min(UNCERTAINTY_NEIGHBOURS, train.labels.length);
      const nn = await exactKnn(divergence, z, embeddings, { k, querySlot: 'left' });
      const labels = Int32Array.from(nn.indices, (j) => (j < 0 ? -1 : column[train.labels[j]!]!));
      return { k, divergences: nn.distances, labels };
    },
    dispose(): void {
      embeddings.dispose();
      centroids.dispose();
    },
  };
}

async function withEmbeddings<T>(trunk: tfl.LayersModel, data: LabelledData, use: (z: tf.Tensor2D) => Promise<T>) {
  const z = embedAll(trunk, data);
  try {
    return await use(z);
  } finally {
    z.dispose();
  }
}

/**
 * Calibrated class probabilities of a closed-set run from two estimators over the learned divergence (Banerjee et al.
 * 2005: a Bregman divergence is the exponent of an exponential family, so p(c | x) ∝ π_c · exp(−D(z, μ_c) / τ) needs
 * no normaliser):
 * - the centroid posterior, τ fitted on the validation part by NLL, π_c the training class frequencies;
 * - the k-NN kernel estimator (eval's `knnKernelPosterior`): the 10 nearest training items vote with weights
 *   exp(−D/τ′), τ′ and the prior pseudo-vote fitted on validation.
 * Scored on the test part: NLL, Brier, ECE, adaptive ECE, the centroid classifier's accuracy and AURC (abstaining on
 * the least confident) for the centroid posterior, NLL / Brier / ECE for the k-NN one, plus the reliability bins and
 * the risk–coverage curve for the report. `testEmbeddings` (the caller's) are those of `parts.test`.
 */
export async function closedSetCalibration(
  trunk: tfl.LayersModel,
  divergence: Divergence,
  parts: { readonly train: LabelledData; readonly val: LabelledData; readonly test: LabelledData },
  testEmbeddings: tf.Tensor2D,
): Promise<{ metrics: MetricValues; report: CalibrationReport }> {
  const reference = await trainingReference(trunk, divergence, parts.train);
  try {
    const { classes, column, logPriors } = reference;
    const C = classes.length;
    const dense = (labels: Int32Array) =>
      Int32Array.from(labels, (l) => (l >= 0 && l < column.length ? column[l]! : -1));
    const valLabels = dense(parts.val.labels);
    const testLabels = dense(parts.test.labels);
    const [valD, valNeighbours] = await withEmbeddings(
      trunk,
      parts.val,
      async (z) => [await reference.toCentroids(z), await reference.neighbours(z)] as const,
    );
    const { temperature } = fitTemperature(valD, C, valLabels, { logPriors });
    const probabilities = centroidPosterior(await reference.toCentroids(testEmbeddings), C, { temperature, logPriors });
    const calibration = calibrationMetrics({ probabilities, numClasses: C }, testLabels);
    const selective = selectivePrediction(calibration.confidence, calibration.correct);
    const kernel = fitKnnKernel(valNeighbours, C, valLabels, { logPriors });
    const knnProbabilities = knnKernelPosterior(await reference.neighbours(testEmbeddings), C, {
      temperature: kernel.temperature,
      smoothing: kernel.smoothing,
      logPriors,
    });
    const knn = calibrationMetrics({ probabilities: knnProbabilities, numClasses: C }, testLabels);
    return {
      metrics: {
        nll: calibration.nll,
        brier: calibration.brier,
        ece: calibration.ece,
        adaptiveEce: calibration.adaptiveEce,
        centroidAccuracy: calibration.accuracy,
        aurc: selective.aurc,
        temperature,
        knnNll: knn.nll,
        knnBrier: knn.brier,
        knnEce: knn.ece,
      },
      report: { temperature, reliability: calibration.reliability, riskCoverage: selective.curve },
    };
  } finally {
    reference.dispose();
  }
}

/** The detection scores, each higher for an item less like the training classes. */
const DETECTION_SCORES = ['minDivergence', 'maxPosterior', 'energy', 'knn'] as const;
type DetectionScore = (typeof DETECTION_SCORES)[number];

/**
 * Unseen-class detection of a class-disjoint run: the seen side is `seenTest` (held-out items of the training
 * classes), the unseen side the test classes. Scores, each from the learned divergence to the training classes:
 * the minimum divergence to a class centroid, the maximum centroid posterior (negated), the energy
 * −τ log Σ_c exp(−D(z, μ_c)/τ), and the divergence to the 10th nearest training item. τ is fitted by NLL on a
 * seeded half of `seenTest` (prepareData holds out at least MIN_SEEN_TEST_ITEMS); the other half is scored, so no item
 * both fits τ and is detected.
 * Metrics: AUROC and FPR at 95% TPR (the known classes as positives) per score.
 */
export async function unseenClassDetection(
  trunk: tfl.LayersModel,
  divergence: Divergence,
  parts: { readonly train: LabelledData; readonly seenTest: LabelledData; readonly test: LabelledData },
  testEmbeddings: tf.Tensor2D,
  seed: number,
): Promise<{ metrics: MetricValues; report: UnseenClassReport }> {
  const reference = await trainingReference(trunk, divergence, parts.train);
  try {
    const { classes, column, logPriors } = reference;
    const C = classes.length;
    const seen = parts.seenTest;
    // A seeded half of the seen items fits τ, the other half is scored (over all classes, not per class: a class
    // with one held-out item would otherwise always fall on the fitting side).
    const order = new SeededRandom(`${seed}/seen-halves`).permutation(seen.labels.length);
    const half = Math.floor(order.length / 2);
    const fit = Array.from(order.subarray(0, half)).sort((a, b) => a - b);
    const scored = Array.from(order.subarray(half)).sort((a, b) => a - b);
    const [seenD, seenNeighbours] = await withEmbeddings(
      trunk,
      seen,
      async (z) => [await reference.toCentroids(z), await reference.neighbours(z)] as const,
    );
    const rowsOf = (values: ArrayLike<number>, width: number, rows: readonly number[]) => {
      const out = new Float64Array(rows.length * width);
      rows.forEach((r, i) => {
        for (let c = 0; c < width; c++) out[i * width + c] = values[r * width + c]!;
      });
      return out;
    };
    const fitLabels = Int32Array.from(fit, (i) => column[seen.labels[i]!]!);
    const { temperature } = fitTemperature(rowsOf(seenD, C, fit), C, fitLabels, { logPriors });
    const unseenD = await reference.toCentroids(testEmbeddings);
    const unseenNeighbours = await reference.neighbours(testEmbeddings);
    const scoresOf = (d: ArrayLike<number>, neighbours: KnnNeighbours, rows: readonly number[] | null) => {
      const u = centroidUncertainty(d, C, { temperature, logPriors });
      const n = u.minDivergence.length;
      const pick = (values: ArrayLike<number>) => (rows ? Float64Array.from(rows, (r) => values[r]!) : values);
      const kth = Float64Array.from({ length: n }, (_, i) => neighbours.divergences[(i + 1) * neighbours.k - 1]!);
      return {
        minDivergence: pick(u.minDivergence),
        maxPosterior: pick(Float64Array.from(u.maxPosterior, (p) => -p)),
        energy: pick(u.energy),
        knn: pick(kth),
      } satisfies Record<DetectionScore, ArrayLike<number>>;
    };
    const seenScores = scoresOf(seenD, seenNeighbours, scored);
    const unseenScores = scoresOf(unseenD, unseenNeighbours, null);
    const metrics: Record<string, number> = {};
    const rows: UnseenClassReport['scores'][number][] = [];
    for (const score of DETECTION_SCORES) {
      const found = unseenDetection(seenScores[score], unseenScores[score]);
      const name = score.charAt(0).toUpperCase() + score.slice(1);
      metrics[`unseenAuroc${name}`] = found.auroc;
      metrics[`unseenFpr95${name}`] = found.fprAtTpr95;
      rows.push({ score, auroc: found.auroc, fprAtTpr95: found.fprAtTpr95 });
    }
    return {
      metrics,
      report: { temperature, seenItems: scored.length, unseenItems: parts.test.labels.length, scores: rows },
    };
  } finally {
    reference.dispose();
  }
}
