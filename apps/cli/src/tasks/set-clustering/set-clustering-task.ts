import {
  type Divergence,
  SquaredEuclideanDivergence,
  bregmanGeneratorOf,
  bregmanKMeans,
} from '@empirical-bregman/bregman-core';
import { type GaussianSetsData, makeGaussianSets } from '@empirical-bregman/datasets';
import { clusteringMetrics } from '@empirical-bregman/eval';
import { TripletMarginLoss } from '@empirical-bregman/losses';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { runName } from '../../config/run-config';
import { buildDivergence } from '../../model/divergence-head';
import type { MetricValues, ResultRow } from '../../report/report-data';
import { optimizerArrays, restoreOptimizer } from '../../run/optimizer-state';
import { assignVariables, variableArrays } from '../../run/stored-variables';
import type { Task } from '../../run/task';
import { buildTrunk, trunkVariables } from '../retrieval/model-parts';
import {
  DEFAULT_SET_COUNTS,
  GAUSSIAN_SETS,
  SET_CLUSTERING,
  SET_CLUSTERING_SETTINGS,
  checkSetClusteringConfig,
  pointsPerSetOf,
  setClusteringDefaults,
  setDivergenceOf,
} from './set-clustering-config';
import { EpochBatches } from '../../run/epoch-batches';
import { variableGradients } from '../../run/variable-gradients';

/** One part's sets as tensors, kept for the whole run (the session disposes them). */
interface SetPart {
  /** Points [sets, pointsPerSet, 2]. */
  readonly x: tf.Tensor3D;
  readonly labels: tf.Tensor1D;
  readonly data: GaussianSetsData;
}

function setPart(data: GaussianSetsData): SetPart {
  const [points, dim] = data.sampleShape as [number, number];
  return {
    x: tf.tensor3d(data.features, [data.labels.length, points, dim]),
    labels: tf.tensor1d(data.labels, 'int32'),
    data,
  };
}

/**
 * The pooled embedding of each set: m = (1/P) Σₚ f(xₚ), the mean of its embedded points — the first moment of the
 * embedded empirical distribution, which Deep Divergence Learning's moment-matching divergence compares. [sets, e];
 * the caller disposes it (call inside `tf.tidy`).
 */
export function poolSets(trunk: tfl.LayersModel, x: tf.Tensor3D, training: boolean): tf.Tensor2D {
  const [sets, points, dim] = x.shape;
  const embedded = trunk.apply(tf.reshape(x, [sets * points, dim]), { training }) as tf.Tensor2D;
  return tf.mean(tf.reshape(embedded, [sets, points, embedded.shape[1]]), 1) as tf.Tensor2D;
}

/** Sets per trunk call when embedding a whole part: bounds the activations at 64 · P · (widest layer) floats. */
const EMBED_CHUNK = 64;

function pooledPart(trunk: tfl.LayersModel, part: SetPart): tf.Tensor2D {
  return tf.tidy(() => {
    const n = part.x.shape[0];
    const chunks: tf.Tensor2D[] = [];
    for (let start = 0; start < n; start += EMBED_CHUNK) {
      const size = Math.min(EMBED_CHUNK, n - start);
      chunks.push(poolSets(trunk, tf.slice(part.x, [start, 0, 0], [size, -1, -1]) as tf.Tensor3D, false));
    }
    return tf.concat(chunks, 0) as tf.Tensor2D;
  });
}

/**
 * Rand index, ARI and NMI of a k-means partition of `points` (k = the number of classes) against the labels. The
 * partition is Bregman k-means under `divergence` (Banerjee et al. 2005): the mean is the exact centroid of every
 * Bregman divergence, so for a learned Bregman head this is its own k-means, and for squared Euclidean it is
 * ordinary k-means. 10 seeded k-means++ starts, the lowest objective kept (scikit-learn's KMeans of the
 * reproduction: n_init 10).
 */
export function clusterAndScore(
  points: tf.Tensor2D,
  labels: Int32Array,
  numClasses: number,
  divergence: Divergence,
  seed: string,
): MetricValues {
  const result = bregmanKMeans(points, divergence, { k: numClasses, seed, restarts: 10, maxIterations: 300 });
  result.centroids.dispose();
  const m = clusteringMetrics(labels, result.assignments);
  return { randIndex: m.randIndex, ari: m.ari, nmi: m.nmi };
}

/** The mean of each set's raw points [sets, 2]: the reference a trained embedding must beat. */
function rawSetMeans(part: SetPart): tf.Tensor2D {
  return tf.tidy(() => tf.mean(part.x, 1) as tf.Tensor2D);
}

/**
 * Deep Divergence Learning's Gaussian clustering (Cilingir, Manzelli & Kulis, ICML 2020, §5.1): every sample is a
 * distribution, a set of 50 points from N(μ, 0.1·I) with μ on one of three circles (datasets' `makeGaussianSets`).
 * Each point is embedded by an MLP f; a set is pooled to the mean m of its embedded points; two sets are compared by
 * D(m_a, m_b), where D is the run's divergence head (a learned Bregman divergence for icnn, mahalanobis, max-affine)
 * or, with `setDivergence: moment-matching`, the paper's moment-matching divergence ‖m_a − m_b‖². f and the head are
 * trained with a triplet margin loss over the sets of each batch (every valid triplet), early stopping on the
 * validation sets' ARI. Test: k-means with k = 3 on the pooled test sets (Bregman k-means under a Bregman head), Rand
 * index, ARI and NMI, beside k-means on the raw set means and on the untrained network.
 */
export const setClusteringTask: Task = {
  name: SET_CLUSTERING,
  description: "sets of points clustered as distributions: Deep Divergence Learning's Gaussian-set task",
  dataNames: [GAUSSIAN_SETS],
  savesEmbeddingModel: false,
  settings: SET_CLUSTERING_SETTINGS,
  defaults: setClusteringDefaults,
  checkConfig: checkSetClusteringConfig,
  async start(config) {
    const points = pointsPerSetOf(config);
    const make = (part: 'train' | 'val' | 'test', sets: number) =>
      setPart(makeGaussianSets({ sets, pointsPerSet: points, seed: `${config.seed}/${GAUSSIAN_SETS}/${part}` }));
    const train = make('train', config.maxTrainSamples > 0 ? config.maxTrainSamples : DEFAULT_SET_COUNTS.train);
    const val = make('val', config.maxEvalSamples > 0 ? config.maxEvalSamples : DEFAULT_SET_COUNTS.val);
    const test = make('test', config.maxEvalSamples > 0 ? config.maxEvalSamples : DEFAULT_SET_COUNTS.test);
    const numClasses = train.data.numClasses;
    const momentMatching = setDivergenceOf(config) === 'moment-matching';
    const head = buildDivergence(config);
    // Moment matching compares the pooled embeddings by ‖m_a − m_b‖², so training and clustering share one D.
    const divergence: Divergence = momentMatching ? new SquaredEuclideanDivergence() : head;
    // k-means under D when D is a Bregman divergence (the mean is then its exact centroid), else ordinary k-means.
    const kmeansDivergence: Divergence =
      bregmanGeneratorOf(divergence) !== null || momentMatching ? divergence : new SquaredEuclideanDivergence();
    const trunk = buildTrunk(config, [2], false, bregmanGeneratorOf(divergence)?.domain ?? 'real');
    const { trunkVars } = trunkVariables(trunk);
    const headVars = momentMatching ? [] : head.trainableVariables;
    const loss = new TripletMarginLoss({ divergence, margin: config.margin });
    const trunkOptimizer = tf.train.adam(config.learningRate);
    const headOptimizer = tf.train.adam(config.divergenceLearningRate);
    const count = train.data.labels.length;
    const batchSize = Math.min(config.batchSize, count);
    const stepsPerEpoch = config.stepsPerEpoch > 0 ? config.stepsPerEpoch : Math.ceil(count / batchSize);
    const label = momentMatching ? 'moment matching' : config.divergence;

    const score = (part: SetPart, which: string): MetricValues => {
      const pooled = pooledPart(trunk, part);
      try {
        return clusterAndScore(pooled, part.data.labels, numClasses, kmeansDivergence, `${config.seed}/${which}`);
      } finally {
        pooled.dispose();
      }
    };
    // The epoch's set order depends only on (seed, epoch): a resumed run draws what an uninterrupted one would.
    const batches = new EpochBatches(`${config.seed}/${SET_CLUSTERING}`, count, batchSize);
    const vars = [...trunkVars, ...headVars];

    return {
      stepsPerEpoch,
      trainable: true,
      selection: { metric: 'ari', better: 'higher' },
      lossName: 'loss',
      nonFiniteAdvice: 'Try a lower --learning-rate or --divergence-learning-rate',
      validate: async () => score(val, 'val'),
      untrainedBaseline: async () => score(test, 'test'),
      async step({ epoch, step }) {
        const indices = batches.indices(epoch, step);
        const value = tf.tidy(() => {
          const index = tf.tensor1d(indices, 'int32');
          const xb = tf.gather(train.x, index) as tf.Tensor3D;
          const lb = tf.gather(train.labels, index) as tf.Tensor1D;
          const { value, grads } = tf.variableGrads(() => loss.compute(poolSets(trunk, xb, true), lb), vars);
          trunkOptimizer.applyGradients(variableGradients(trunkVars, grads));
          if (headVars.length > 0) headOptimizer.applyGradients(variableGradients(headVars, grads));
          return value;
        });
        const lossValue = (await value.data())[0]!;
        value.dispose();
        return lossValue;
      },
      endEpoch: async (meanLoss) => ({ loss: meanLoss }),
      summarizeEpoch: (trainValues, valValues) =>
        `train loss ${(trainValues.loss ?? 0).toFixed(4)}, val ARI ${(valValues.ari ?? 0).toFixed(4)}, val Rand index ${(valValues.randIndex ?? 0).toFixed(4)}`,
      weightArrays: () => [...variableArrays('trunk', trunkVars), ...variableArrays('divergence', headVars)],
      restoreWeights(arrays) {
        assignVariables('trunk', trunkVars, arrays);
        assignVariables('divergence', headVars, arrays);
      },
      optimizerArrays: async () => [
        ...(await optimizerArrays('trunkOptimizer', trunkOptimizer)),
        ...(await optimizerArrays('headOptimizer', headOptimizer)),
      ],
      async restoreOptimizers(arrays) {
        await restoreOptimizer('trunkOptimizer', trunkOptimizer, arrays);
        await restoreOptimizer('headOptimizer', headOptimizer, arrays);
      },
      dataState: () => null,
      restoreDataState() {},
      async finish(_dir, run) {
        const raw = rawSetMeans(test);
        let rawMetrics: MetricValues;
        try {
          rawMetrics = clusterAndScore(
            raw,
            test.data.labels,
            numClasses,
            new SquaredEuclideanDivergence(),
            `${config.seed}/test`,
          );
        } finally {
          raw.dispose();
        }
        const results: ResultRow[] = [
          { protocol: config.protocol, model: 'raw input', divergence: 'k-means on set means', metrics: rawMetrics },
          {
            protocol: config.protocol,
            model: 'untrained network',
            divergence: label,
            metrics: run.untrainedBaseline as MetricValues,
          },
          { protocol: config.protocol, model: 'trained', divergence: label, metrics: score(test, 'test') },
        ];
        const clustering =
          kmeansDivergence === divergence
            ? momentMatching
              ? 'k-means (squared Euclidean, the moment-matching divergence)'
              : `Bregman k-means under the ${config.divergence} head`
            : `k-means (squared Euclidean: the ${config.divergence} head is not a Bregman divergence)`;
        return {
          title: `${runName(config)}: Gaussian sets clustered as distributions (${label})`,
          results,
          sections: {},
          notes: [
            `${count} training, ${val.data.labels.length} validation and ${test.data.labels.length} test sets of ${points} points from N(μ, 0.1·I), μ on circles of radii 0.2/0.6/1.0 plus N(0, 0.05²) noise (Deep Divergence Learning, §5.1)`,
            `each point embedded by an MLP 2→${config.hidden.join('→')}→${config.embeddingDim}, a set pooled to the mean of its embedded points; ${momentMatching ? 'sets compared by ‖m_a − m_b‖² (moment matching)' : `sets compared by the ${config.divergence} head on the pooled embeddings`}; triplet loss (margin ${config.margin}) over every valid triplet of ${batchSize} sets, ${stepsPerEpoch} steps per epoch`,
            `best validation ARI ${run.bestScore.toFixed(4)} at epoch ${run.bestEpoch}${run.bestEpoch === 0 ? ' (training never beat the untrained network on validation: its weights are kept)' : ''}`,
            `test: ${clustering} with k = ${numClasses} on the pooled test sets, 10 k-means++ starts; raw input row: k-means on the mean of each set's raw points`,
          ],
        };
      },
      async dispose() {
        trunk.dispose();
        head.dispose();
        loss.dispose();
        trunkOptimizer.dispose();
        headOptimizer.dispose();
        for (const part of [train, val, test]) tf.dispose([part.x, part.labels]);
      },
    };
  },
};
