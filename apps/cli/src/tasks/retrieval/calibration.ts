import type { Divergence } from '@empirical-bregman/bregman-core';
import type { LabelledData } from '@empirical-bregman/datasets';
import { calibrationMetrics, centroidPosterior, fitTemperature, selectivePrediction } from '@empirical-bregman/eval';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { CalibrationReport, MetricValues } from '../../report/report-data';
import { embedAll } from './embeddings';

/**
 * Calibrated class probabilities of a closed-set run (Banerjee et al. 2005: a Bregman divergence is the exponent of
 * an exponential family, so p(c | x) ∝ π_c · exp(−D(z, μ_c) / τ) needs no normaliser): μ_c the class means of the
 * training embeddings (the right Bregman centroid, for the query in the left slot; the plain mean for fixed heads), π_c
 * the training class frequencies, τ fitted on the validation part by NLL. Scored on the test part: NLL, Brier, ECE,
 * adaptive ECE, the centroid classifier's accuracy and AURC (abstaining on the least confident), plus the reliability
 * bins and the risk–coverage curve for the report. `testEmbeddings` (the caller's) are those of `parts.test`.
 */
export async function closedSetCalibration(
  trunk: tfl.LayersModel,
  divergence: Divergence,
  parts: { readonly train: LabelledData; readonly val: LabelledData; readonly test: LabelledData },
  testEmbeddings: tf.Tensor2D,
): Promise<{ metrics: MetricValues; report: CalibrationReport }> {
  const C = Math.max(...parts.train.labels, ...parts.val.labels, ...parts.test.labels) + 1;
  const counts = new Float64Array(C);
  for (const l of parts.train.labels) counts[l]! += 1;
  const logPriors = Array.from(counts, (n) => Math.log(Math.max(n, 1) / parts.train.labels.length));
  const train = embedAll(trunk, parts.train);
  let centroids: tf.Tensor2D;
  try {
    centroids = tf.tidy(() => {
      const oneHot = tf.cast(tf.oneHot(tf.tensor1d(parts.train.labels, 'int32'), C), 'float32');
      const sums = tf.matMul(oneHot, train, true, false);
      return tf.div(sums, tf.maximum(tf.expandDims(tf.sum(oneHot, 0), 1), 1)) as tf.Tensor2D;
    });
  } finally {
    train.dispose();
  }
  const toCentroids = async (z: tf.Tensor2D): Promise<Float32Array> => {
    const d = tf.tidy(() => divergence.pairwise(z, centroids));
    try {
      return (await d.data()) as Float32Array;
    } finally {
      d.dispose();
    }
  };
  try {
    const val = embedAll(trunk, parts.val);
    let valD: Float32Array;
    try {
      valD = await toCentroids(val);
    } finally {
      val.dispose();
    }
    const { temperature } = fitTemperature(valD, C, parts.val.labels, { logPriors });
    const probabilities = centroidPosterior(await toCentroids(testEmbeddings), C, { temperature, logPriors });
    const calibration = calibrationMetrics({ probabilities, numClasses: C }, parts.test.labels);
    const selective = selectivePrediction(calibration.confidence, calibration.correct);
    return {
      metrics: {
        nll: calibration.nll,
        brier: calibration.brier,
        ece: calibration.ece,
        adaptiveEce: calibration.adaptiveEce,
        centroidAccuracy: calibration.accuracy,
        aurc: selective.aurc,
        temperature,
      },
      report: { temperature, reliability: calibration.reliability, riskCoverage: selective.curve },
    };
  } finally {
    centroids.dispose();
  }
}
