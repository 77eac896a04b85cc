import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { BregmanDivergence, type Divergence } from '@empirical-bregman/bregman-core';
import { SeededRandom } from '@empirical-bregman/common';
import * as tf from '@tensorflow/tfjs-core';
import { CliError } from '../cli-error';
import { type RunConfig, runName } from '../config/run-config';
import type { CurvePoint, MetricValues, PhiSurface, ResultRow, RunReportData } from '../report/report-data';
import { type StoredArray, readCheckpointFile, writeCheckpointFile } from '../run/checkpoint-file';
import { buildDivergence } from '../run/model-parts';
import { epochRecord, rewriteMetrics } from '../run/metrics-file';
import { optimizerArrays, restoreOptimizer } from '../run/optimizer-state';
import { appendMetrics, writeJson } from '../run/run-folder';
import {
  CHECKPOINT_FILE,
  type RunOutcome,
  SimulatedCrash,
  type TrainRunOptions,
  backendSummary,
} from '../run/train-run';
import {
  type DivergenceRegressionData,
  type RegressionPairs,
  divergenceRegressionData,
} from './divergence-regression-data';
import { ASYMMETRY_TIE, meanSquaredError, regressionMetrics } from './regression-metrics';

const BEST_FILE = 'best-weights.bin';

/** Pair counts when `maxTrainSamples` / `maxEvalSamples` are 0. */
export const DEFAULT_PAIR_COUNTS = { train: 4000, val: 1000, test: 2000 } as const;

/** Run state saved with each checkpoint (JSON part). */
interface RegressionState extends Record<string, unknown> {
  epoch: number;
  globalStep: number;
  bestValMse: number;
  bestEpoch: number;
  epochsWithoutGain: number;
  curves: CurvePoint[];
  untrainedTest: MetricValues;
  stopped: boolean;
}

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
 * The synthetic divergence-regression run (Cilingir et al. 2020, "Deep divergence learning", ICML; Siahkamari et al.
 * 2023, "Neural Bregman divergences", ICLR): the divergence head alone (the embedding is the identity) is fitted to
 * a known asymmetric divergence, minimising the MSE (1/B) Σ (D_θ(x_k, y_k) − t_k)² with Adam on shuffled batches
 * of training pairs, early stopping on validation MSE, a checkpoint per epoch (one atomic file, as in a retrieval
 * run: `--resume` continues after the last finished epoch, with the optimiser's moments). The test rows: the
 * fitted-scale squared Euclidean reference, the untrained head, the trained head, each with MSE, relative MSE,
 * Spearman ρ and asymmetry agreement.
 */
export async function trainDivergenceRegression(config: RunConfig, options: TrainRunOptions): Promise<RunOutcome> {
  const { progress } = options;
  const data = divergenceRegressionData({
    dim: config.embeddingDim,
    train: config.maxTrainSamples > 0 ? config.maxTrainSamples : DEFAULT_PAIR_COUNTS.train,
    val: config.maxEvalSamples > 0 ? config.maxEvalSamples : DEFAULT_PAIR_COUNTS.val,
    test: config.maxEvalSamples > 0 ? config.maxEvalSamples : DEFAULT_PAIR_COUNTS.test,
    seed: config.seed,
  });
  const batchSize = Math.min(config.batchSize, data.train.count);
  const stepsPerEpoch = config.stepsPerEpoch > 0 ? config.stepsPerEpoch : Math.ceil(data.train.count / batchSize);
  const dir = typeof options.dir === 'string' ? options.dir : options.dir();

  const divergence = buildDivergence(config);
  const vars = divergence.trainableVariables;
  const optimizer = tf.train.adam(config.divergenceLearningRate);
  const train = pairTensors(data.train);
  const val = pairTensors(data.val);
  const test = pairTensors(data.test);
  const checkpointPath = join(dir, CHECKPOINT_FILE);
  try {
    let state: RegressionState;
    if (options.resume && existsSync(checkpointPath)) {
      state = await restore(checkpointPath, divergence, optimizer);
      rewriteMetrics(dir, state.curves);
      progress.line(`resumed ${dir} after epoch ${state.epoch} (step ${state.globalStep})`);
    } else {
      const valMse = await validationMse(divergence, val);
      state = {
        epoch: 0,
        globalStep: 0,
        bestValMse: valMse,
        bestEpoch: 0,
        epochsWithoutGain: 0,
        curves: [{ epoch: 0, step: 0, split: 'val', metric: 'mse', value: valMse }],
        untrainedTest: await testMetrics(divergence, test),
        stopped: false,
      };
      await saveCheckpoint(checkpointPath, state, divergence, optimizer);
      saveBest(join(dir, BEST_FILE), divergence);
      rewriteMetrics(dir, state.curves);
    }

    const tensorsPerEpoch: number[] = [];
    let stepsThisProcess = 0;
    // A fixed head (euclidean) has nothing to train: its rows are the untrained ones.
    while (vars.length > 0 && !state.stopped && state.epoch < config.epochs) {
      const epoch = state.epoch + 1;
      // The epoch's batch order depends only on (seed, epoch): a resumed run draws what an uninterrupted one would.
      const order = new SeededRandom(`${config.seed}/divergence-regression/batches/${epoch}`).permutation(
        data.train.count,
      );
      let lossSum = 0;
      for (let step = 1; step <= stepsPerEpoch; step++) {
        const indices = Int32Array.from(
          { length: batchSize },
          (_, i) => order[((step - 1) * batchSize + i) % order.length]!,
        );
        const value = tf.tidy(() => {
          const index = tf.tensor1d(indices, 'int32');
          const xb = tf.gather(train.x, index) as tf.Tensor2D;
          const yb = tf.gather(train.y, index) as tf.Tensor2D;
          const tb = tf.gather(train.target, index);
          const { value, grads } = tf.variableGrads(
            () => tf.mean(tf.squaredDifference(divergence.paired(xb, yb), tb)) as tf.Scalar,
            vars,
          );
          optimizer.applyGradients(vars.map((v) => ({ name: v.name, tensor: grads[v.name]! })));
          return value;
        });
        const lossValue = (await value.data())[0]!;
        value.dispose();
        state.globalStep++;
        if (!Number.isFinite(lossValue)) {
          throw new CliError(
            'train',
            'NUMERICAL',
            `the regression MSE became ${lossValue} at epoch ${epoch}, step ${step} (global step ${state.globalStep}); the last good checkpoint (after epoch ${state.epoch}) is kept in ${dir}. Try a lower --divergence-learning-rate or a smaller --icnn-mu`,
          );
        }
        lossSum += lossValue;
        progress.step({ epoch, epochs: config.epochs, step, steps: stepsPerEpoch, loss: lossValue });
        stepsThisProcess++;
        if (options.stopAfterSteps !== undefined && stepsThisProcess >= options.stopAfterSteps)
          throw new SimulatedCrash();
      }
      const trainMse = lossSum / stepsPerEpoch;
      const valMse = await validationMse(divergence, val);
      state.epoch = epoch;
      state.curves.push(
        { epoch, step: state.globalStep, split: 'train', metric: 'mse', value: trainMse },
        { epoch, step: state.globalStep, split: 'val', metric: 'mse', value: valMse },
      );
      const improved = valMse < state.bestValMse;
      if (improved) {
        state.bestValMse = valMse;
        state.bestEpoch = epoch;
        state.epochsWithoutGain = 0;
        saveBest(join(dir, BEST_FILE), divergence);
      } else {
        state.epochsWithoutGain++;
        if (config.patience > 0 && state.epochsWithoutGain >= config.patience) state.stopped = true;
      }
      await saveCheckpoint(checkpointPath, state, divergence, optimizer);
      appendMetrics(dir, { ...epochRecord(state.curves, epoch), numTensors: tf.memory().numTensors });
      tensorsPerEpoch.push(tf.memory().numTensors);
      progress.line(
        `epoch ${epoch}/${config.epochs}: train MSE ${trainMse.toFixed(4)}, val MSE ${valMse.toFixed(4)}${improved ? ' (best)' : ''}${state.stopped ? `; early stop (no gain for ${config.patience} epochs)` : ''}`,
      );
    }

    restoreWeights(readCheckpointFile(join(dir, BEST_FILE)).arrays, divergence);
    const reference = scaledEuclideanReference(data);
    const results: ResultRow[] = [
      { protocol: config.protocol, model: 'raw input', divergence: 'scaled sq. euclidean', metrics: reference.metrics },
      {
        protocol: config.protocol,
        model: 'untrained head',
        divergence: config.divergence,
        metrics: state.untrainedTest,
      },
      {
        protocol: config.protocol,
        model: 'trained',
        divergence: config.divergence,
        metrics: await testMetrics(divergence, test),
      },
    ];
    mkdirSync(join(dir, 'model'), { recursive: true });
    writeJson(join(dir, 'model', 'divergence.json'), divergence.toJSON());
    const phiSurface = data.dim === 2 ? await phiGrid(divergence, data.range) : undefined;
    const report: RunReportData = {
      title: `${runName(config)}: ${config.divergence} head regressed on a known asymmetric divergence`,
      createdAt: new Date().toISOString(),
      backend: backendSummary(options.backend),
      config: { ...config },
      curves: state.curves,
      results,
      ...(phiSurface ? { phiSurface } : {}),
      notes: [
        data.description,
        `the head works on the raw points (no trunk) and is trained on the MSE between D_θ(x, y) and the target; ${vars.length === 0 ? 'the euclidean head ‖x − y‖ has no parameters, so it is evaluated as it is' : `best validation MSE ${state.bestValMse.toPrecision(4)} at epoch ${state.bestEpoch}${state.bestEpoch === 0 ? ' (training never beat the untrained head on validation: its weights are kept)' : ''}; ${stepsPerEpoch} steps of ${batchSize} pairs per epoch`}`,
        `reference row: s·‖x − y‖² with s = ${reference.scale.toPrecision(4)} fitted on the training pairs by least squares`,
        `rel. MSE = MSE / Var(t) on the test pairs; Spearman ρ between D_θ(x, y) and t; asym. agree = fraction of test pairs where sign(D_θ(x, y) − D_θ(y, x)) = sign(t(x, y) − t(y, x)), ties (|Δ| ≤ ${ASYMMETRY_TIE} · (D_θ(x, y) + D_θ(y, x))) counted ½, so a symmetric head scores 0.5`,
      ],
    };
    return { report, stoppedEarly: state.stopped, bestEpoch: state.bestEpoch, epochsRun: state.epoch, tensorsPerEpoch };
  } finally {
    divergence.dispose();
    optimizer.dispose();
    for (const part of [train, val, test]) tf.dispose([part.x, part.y, part.target]);
  }
}

async function validationMse(divergence: Divergence, part: PairTensors): Promise<number> {
  const { forward } = await predict(divergence, part);
  return meanSquaredError(forward, part.pairs.target);
}

/** For 2-D points with a Bregman head: the learned φ on a 40 × 40 grid of the sampling square. */
async function phiGrid(divergence: Divergence, range: number): Promise<PhiSurface | undefined> {
  if (!(divergence instanceof BregmanDivergence)) return undefined;
  const steps = 40;
  const axis = Array.from({ length: steps }, (_, i) => -range + (2 * range * i) / (steps - 1));
  const grid = axis.flatMap((y) => axis.flatMap((x) => [x, y]));
  const phi = tf.tidy(
    () => divergence.generator.valueAndGrad(tf.tensor2d(grid, [steps * steps, 2]), { validate: false }).value,
  );
  const flat = (await phi.data()) as Float32Array;
  phi.dispose();
  return { xs: axis, ys: axis, values: axis.map((_, iy) => Array.from(flat.subarray(iy * steps, (iy + 1) * steps))) };
}

function headArrays(divergence: Divergence): StoredArray[] {
  return divergence.trainableVariables.map((v, i) => ({
    name: `divergence/${i}`,
    shape: v.shape,
    values: v.dataSync() as Float32Array,
  }));
}

function restoreWeights(arrays: Map<string, StoredArray>, divergence: Divergence): void {
  tf.tidy(() => {
    for (const [i, v] of divergence.trainableVariables.entries()) {
      const a = arrays.get(`divergence/${i}`);
      if (!a || a.shape.join(',') !== v.shape.join(',')) {
        throw new CliError(
          'checkpoint',
          'BAD_FORMAT',
          `expected divergence/${i} of shape [${v.shape.join(', ')}] in the checkpoint, got ${a ? `[${a.shape.join(', ')}]` : 'none'} (was the config changed?)`,
        );
      }
      v.assign(tf.tensor(a.values, a.shape));
    }
  });
}

function saveBest(path: string, divergence: Divergence): void {
  writeCheckpointFile(path, { kind: 'best-weights' }, headArrays(divergence));
}

async function saveCheckpoint(
  path: string,
  state: RegressionState,
  divergence: Divergence,
  optimizer: tf.Optimizer,
): Promise<void> {
  const arrays = [...headArrays(divergence), ...(await optimizerArrays('optimizer', optimizer))];
  writeCheckpointFile(path, { kind: 'checkpoint', task: 'divergence-regression', state }, arrays);
}

async function restore(path: string, divergence: Divergence, optimizer: tf.Optimizer): Promise<RegressionState> {
  const { header, arrays } = readCheckpointFile<{ state: RegressionState }>(path);
  restoreWeights(arrays, divergence);
  await restoreOptimizer('optimizer', optimizer, arrays);
  return header.state;
}
