import { ensureDirectory } from '@empirical-bregman/node-io';
import { join } from 'node:path';
import { type Divergence, bregmanGeneratorOf } from '@empirical-bregman/bregman-core';
import * as tf from '@tensorflow/tfjs-core';
import { CliError } from '../../cli-error';
import { dataParallelWorkers, runName } from '../../config/run-config';
import { buildDivergence } from '../../model/divergence-head';
import type { MetricValues, PhiSurface, ResultRow } from '../../report/report-data';
import { optimizerArrays, restoreOptimizer } from '../../run/optimizer-state';
import { writeJson } from '../../run/run-folder';
import { assignVariables, variableArrays } from '../../run/stored-variables';
import type { Task } from '../../run/task';
import {
  DIVERGENCE_REGRESSION,
  checkDivergenceRegressionConfig,
  divergenceRegressionDefaults,
} from './divergence-regression-config';
import {
  type DivergenceRegressionData,
  type RegressionPairs,
  divergenceRegressionData,
} from './divergence-regression-data';
import { ASYMMETRY_TIE, meanSquaredError, regressionMetrics } from './regression-metrics';
import { EpochBatches } from '../../run/epoch-batches';
import { variableGradients } from '../../run/variable-gradients';

/** Pair counts when `maxTrainSamples` / `maxEvalSamples` are 0. */
export const DEFAULT_PAIR_COUNTS = { train: 4000, val: 1000, test: 2000 } as const;

/** One part's pairs as tensors, kept for the whole run (the caller disposes them). */
interface PairTensors {
  readonly x: tf.Tensor2D;
  readonly y: tf.Tensor2D;
  readonly target: tf.Tensor1D;
  readonly pairs: RegressionPairs;
}

function pairTensors(pairs: RegressionPairs): PairTensors {
  return {
    x: tf.tensor2d(pairs.x, [pairs.count, pairs.dim]),
    y: tf.tensor2d(pairs.y, [pairs.count, pairs.dim]),
    target: tf.tensor1d(Float32Array.from(pairs.target)),
    pairs,
  };
}

/** D_θ(x_k, y_k) and D_θ(y_k, x_k) for every pair of a part, read back. */
async function predict(
  divergence: Divergence,
  part: PairTensors,
): Promise<{ forward: Float32Array; reverse: Float32Array }> {
  const [f, r] = tf.tidy(() => [divergence.paired(part.x, part.y), divergence.paired(part.y, part.x)]);
  try {
    return { forward: (await f!.data()) as Float32Array, reverse: (await r!.data()) as Float32Array };
  } finally {
    tf.dispose([f!, r!]);
  }
}

async function testMetrics(divergence: Divergence, part: PairTensors): Promise<MetricValues> {
  const { forward, reverse } = await predict(divergence, part);
  return regressionMetrics(forward, reverse, part.pairs.target, part.pairs.reverseTarget);
}

/**
 * The reference a learned divergence must beat: s·‖x − y‖² with the one scale s fitted on the training pairs by
 * least squares, s = Σ t_k e_k / Σ e_k² (e_k = ‖x_k − y_k‖²), scored on the test pairs. Symmetric: asymmetry
 * agreement 0.5.
 */
export function scaledEuclideanReference(data: DivergenceRegressionData): { scale: number; metrics: MetricValues } {
  const squared = (p: RegressionPairs) => {
    const out = new Float64Array(p.count);
    for (let k = 0; k < p.count; k++) {
      let s = 0;
      for (let i = k * p.dim; i < (k + 1) * p.dim; i++) s += (p.x[i]! - p.y[i]!) ** 2;
      out[k] = s;
    }
    return out;
  };
  const e = squared(data.train);
  let num = 0;
  let den = 0;
  for (let k = 0; k < e.length; k++) {
    num += data.train.target[k]! * e[k]!;
    den += e[k]! * e[k]!;
  }
  const scale = den > 0 ? num / den : 0;
  const predicted = squared(data.test).map((v) => scale * v);
  return {
    scale,
    metrics: regressionMetrics(predicted, predicted, data.test.target, data.test.reverseTarget),
  };
}

/**
 * The synthetic divergence-regression task (Cilingir et al. 2020, "Deep divergence learning", ICML; Siahkamari et
 * al. 2023, "Neural Bregman divergences", ICLR): the divergence head alone (the embedding is the identity) is fitted
 * to a known asymmetric divergence, minimising the MSE (1/B) Σ (D_θ(x_k, y_k) − t_k)² with Adam on shuffled batches
 * of training pairs, early stopping on validation MSE. The test rows: the fitted-scale squared Euclidean reference,
 * the untrained head, the trained head, each with MSE, relative MSE, Spearman ρ and asymmetry agreement.
 */
export const divergenceRegressionTask: Task = {
  name: DIVERGENCE_REGRESSION,
  description: 'a divergence head alone regressed on a known asymmetric divergence of synthetic pairs',
  dataNames: [DIVERGENCE_REGRESSION],
  savesEmbeddingModel: false,
  defaults: divergenceRegressionDefaults,
  checkConfig(config, where) {
    if (config.dataset !== DIVERGENCE_REGRESSION)
      throw new CliError(
        where,
        'INVALID_ARGUMENT',
        `"dataset" must be ${DIVERGENCE_REGRESSION} for task ${DIVERGENCE_REGRESSION} (it makes its own pairs); got ${JSON.stringify(config.dataset)}`,
      );
    checkDivergenceRegressionConfig(config, where);
    if (dataParallelWorkers(config) > 1)
      throw new CliError(
        where,
        'INVALID_ARGUMENT',
        `expected dataParallel 1 for divergence-regression (it trains on pairs, not m-per-class batches), got ${config.dataParallel}`,
      );
  },
  async start(config) {
    const data = divergenceRegressionData({
      dim: config.embeddingDim,
      train: config.maxTrainSamples > 0 ? config.maxTrainSamples : DEFAULT_PAIR_COUNTS.train,
      val: config.maxEvalSamples > 0 ? config.maxEvalSamples : DEFAULT_PAIR_COUNTS.val,
      test: config.maxEvalSamples > 0 ? config.maxEvalSamples : DEFAULT_PAIR_COUNTS.test,
      seed: config.seed,
    });
    const batchSize = Math.min(config.batchSize, data.train.count);
    const stepsPerEpoch = config.stepsPerEpoch > 0 ? config.stepsPerEpoch : Math.ceil(data.train.count / batchSize);
    const divergence = buildDivergence(config);
    const vars = divergence.trainableVariables;
    const optimizer = tf.train.adam(config.divergenceLearningRate);
    const train = pairTensors(data.train);
    const val = pairTensors(data.val);
    const test = pairTensors(data.test);
    // The epoch's batch order depends only on (seed, epoch): a resumed run draws what an uninterrupted one would.
    const batches = new EpochBatches(`${config.seed}/divergence-regression`, data.train.count, batchSize);
    return {
      stepsPerEpoch,
      // A fixed head (euclidean) has nothing to train: its rows are the untrained ones.
      trainable: vars.length > 0,
      selection: { metric: 'mse', better: 'lower' },
      lossName: 'regression MSE',
      nonFiniteAdvice: 'Try a lower --divergence-learning-rate or a smaller --icnn-mu',
      validate: async () => ({ mse: await validationMse(divergence, val) }),
      untrainedBaseline: () => testMetrics(divergence, test),
      async step({ epoch, step }) {
        const indices = batches.indices(epoch, step);
        const value = tf.tidy(() => {
          const index = tf.tensor1d(indices, 'int32');
          const xb = tf.gather(train.x, index) as tf.Tensor2D;
          const yb = tf.gather(train.y, index) as tf.Tensor2D;
          const tb = tf.gather(train.target, index);
          const { value, grads } = tf.variableGrads(
            () => tf.mean(tf.squaredDifference(divergence.paired(xb, yb), tb)) as tf.Scalar,
            vars,
          );
          optimizer.applyGradients(variableGradients(vars, grads));
          return value;
        });
        const lossValue = (await value.data())[0]!;
        value.dispose();
        return lossValue;
      },
      endEpoch: async (meanLoss) => ({ mse: meanLoss }),
      summarizeEpoch: (trainValues, valValues) =>
        `train MSE ${(trainValues.mse ?? 0).toFixed(4)}, val MSE ${(valValues.mse ?? 0).toFixed(4)}`,
      weightArrays: () => variableArrays('divergence', vars),
      restoreWeights: (arrays) => assignVariables('divergence', vars, arrays),
      optimizerArrays: () => optimizerArrays('optimizer', optimizer),
      restoreOptimizers: (arrays) => restoreOptimizer('optimizer', optimizer, arrays),
      dataState: () => null,
      restoreDataState() {},
      async finish(dir, run) {
        const reference = scaledEuclideanReference(data);
        const results: ResultRow[] = [
          {
            protocol: config.protocol,
            model: 'raw input',
            divergence: 'scaled sq. euclidean',
            metrics: reference.metrics,
          },
          {
            protocol: config.protocol,
            model: 'untrained head',
            divergence: config.divergence,
            metrics: run.untrainedBaseline as MetricValues,
          },
          {
            protocol: config.protocol,
            model: 'trained',
            divergence: config.divergence,
            metrics: await testMetrics(divergence, test),
          },
        ];
        ensureDirectory(join(dir, 'model'), 'the model folder');
        writeJson(join(dir, 'model', 'divergence.json'), divergence.toJSON());
        const phiSurface = data.dim === 2 ? await phiGrid(divergence, data.range) : undefined;
        return {
          title: `${runName(config)}: ${config.divergence} head regressed on a known asymmetric divergence`,
          results,
          sections: phiSurface ? { phiSurface } : {},
          notes: [
            data.description,
            `the head works on the raw points (no trunk) and is trained on the MSE between D_θ(x, y) and the target; ${vars.length === 0 ? 'the euclidean head ‖x − y‖ has no parameters, so it is evaluated as it is' : `best validation MSE ${run.bestScore.toPrecision(4)} at epoch ${run.bestEpoch}${run.bestEpoch === 0 ? ' (training never beat the untrained head on validation: its weights are kept)' : ''}; ${stepsPerEpoch} steps of ${batchSize} pairs per epoch`}`,
            `reference row: s·‖x − y‖² with s = ${reference.scale.toPrecision(4)} fitted on the training pairs by least squares`,
            `rel. MSE = MSE / Var(t) on the test pairs; Spearman ρ between D_θ(x, y) and t; asym. agree = fraction of test pairs where sign(D_θ(x, y) − D_θ(y, x)) = sign(t(x, y) − t(y, x)), ties (|Δ| ≤ ${ASYMMETRY_TIE} · (D_θ(x, y) + D_θ(y, x))) counted ½, so a symmetric head scores 0.5`,
          ],
        };
      },
      async dispose() {
        divergence.dispose();
        optimizer.dispose();
        for (const part of [train, val, test]) tf.dispose([part.x, part.y, part.target]);
      },
    };
  },
};

async function validationMse(divergence: Divergence, part: PairTensors): Promise<number> {
  const { forward } = await predict(divergence, part);
  return meanSquaredError(forward, part.pairs.target);
}

/** For 2-D points with a Bregman head: the learned φ on a 40 × 40 grid of the sampling square. */
async function phiGrid(divergence: Divergence, range: number): Promise<PhiSurface | undefined> {
  const generator = bregmanGeneratorOf(divergence);
  if (!generator) return undefined;
  const steps = 40;
  const axis = Array.from({ length: steps }, (_, i) => -range + (2 * range * i) / (steps - 1));
  const grid = axis.flatMap((y) => axis.flatMap((x) => [x, y]));
  const phi = tf.tidy(() => generator.valueAndGrad(tf.tensor2d(grid, [steps * steps, 2]), { validate: false }).value);
  const flat = (await phi.data()) as Float32Array;
  phi.dispose();
  return { xs: axis, ys: axis, values: axis.map((_, iy) => Array.from(flat.subarray(iy * steps, (iy + 1) * steps))) };
}
