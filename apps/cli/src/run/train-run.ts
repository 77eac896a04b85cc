import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CosineDivergence, type Divergence, EuclideanDivergence } from '@empirical-bregman/bregman-core';
import { MPerClassSampler, type MPerClassSamplerState } from '@empirical-bregman/datasets';
import { type BackendInfo, fileSystemIOHandler } from '@empirical-bregman/runtime';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { CliError } from '../cli-error';
import { type RunConfig, dataParallelWorkers, runName } from '../config/run-config';
import { trainDivergenceRegression } from '../regression/train-divergence-regression';
import type { BackendSummary, CurvePoint, MetricValues, ResultRow, RunReportData } from '../report/report-data';
import { type StoredArray, readCheckpointFile, writeCheckpointFile } from './checkpoint-file';
import { embedAll, rawFeatures, scoreEmbeddings } from './embeddings';
import { buildDivergence, buildLoss, buildMiner, buildTrunk, trunkVariables } from './model-parts';
import { type TrainingEngine, dataParallelEngine, inProcessEngine } from './training-engine';
import { reportFigures } from './report-figures';
import { type PreparedData, prepareData } from './prepare-data';
import type { ProgressSink } from './progress';
import { epochRecord, rewriteMetrics } from './metrics-file';
import { appendMetrics, writeJson } from './run-folder';

export const CHECKPOINT_FILE = 'checkpoint.bin';
const BEST_FILE = 'best-weights.bin';

export interface TrainRunOptions {
  /** The run folder, or a function that creates it: called only once the data are loaded and the config is known to
   * work, so a run that never starts writes nothing. */
  readonly dir: string | (() => string);
  readonly backend: BackendInfo;
  readonly progress: ProgressSink;
  /** Continue from `dir`'s checkpoint. */
  readonly resume?: boolean;
  /** Test hook: stop (as if killed) after this many optimiser steps in this process. */
  readonly stopAfterSteps?: number;
}

/** What a finished run returns (also written to results.json). */
export interface RunOutcome {
  readonly report: RunReportData;
  readonly stoppedEarly: boolean;
  readonly bestEpoch: number;
  readonly epochsRun: number;
  /** numTensors after each epoch: must not grow (logged; the tests assert it). */
  readonly tensorsPerEpoch: number[];
}

/** Run state saved with each checkpoint (JSON part). */
interface RunState extends Record<string, unknown> {
  epoch: number;
  globalStep: number;
  sampler: MPerClassSamplerState;
  bestValMapAtR: number;
  bestEpoch: number;
  epochsWithoutGain: number;
  curves: CurvePoint[];
  untrainedTest: Record<string, MetricValues>;
  stopped: boolean;
}

export function backendSummary(info: BackendInfo): BackendSummary {
  return { backend: info.backend, tfjsVersion: info.tfjsVersion, simd: info.simd, threads: info.threads };
}

/** Names of the queryIn orders to evaluate: both for asymmetric divergences. */
function queryOrders(divergence: Divergence): ('left' | 'right' | undefined)[] {
  return divergence.symmetric ? [undefined] : ['left', 'right'];
}

/** m of the m-per-class sampler and the effective batch size. */
export function samplerShape(config: RunConfig, numClasses: number): { m: number; batchSize: number } {
  const m =
    config.samplesPerClass > 0 ? config.samplesPerClass : Math.max(2, Math.floor(config.batchSize / numClasses));
  const classesPerBatch = Math.max(2, Math.min(numClasses, Math.floor(config.batchSize / m)));
  if (classesPerBatch > numClasses) {
    throw new CliError(
      'config',
      'INVALID_ARGUMENT',
      `"batchSize" ${config.batchSize} with "samplesPerClass" ${m} needs ${classesPerBatch} classes per batch, but the training part has ${numClasses}`,
    );
  }
  return { m, batchSize: m * classesPerBatch };
}

/**
 * One training run: the embedding network and the divergence head trained jointly on m-per-class batches, early
 * stopping on validation MAP@R, a checkpoint after every epoch (one atomic file: `kill -9` at any moment leaves the
 * previous or the new checkpoint), then the final evaluation on the test part against the untrained baselines.
 */
export async function trainRun(config: RunConfig, options: TrainRunOptions): Promise<RunOutcome> {
  if (config.dataset === 'divergence-regression') {
    if (dataParallelWorkers(config) > 1)
      throw new CliError(
        'train',
        'INVALID_ARGUMENT',
        `expected dataParallel 1 for divergence-regression (it trains on pairs, not m-per-class batches), got ${config.dataParallel}`,
      );
    return trainDivergenceRegression(config, options);
  }
  const { progress } = options;
  const data = await prepareData(config);
  const trainClasses = new Set(data.train.labels).size;
  let numClasses = 0;
  for (const part of [data.train, data.val, data.test])
    for (const l of part.labels) numClasses = Math.max(numClasses, l + 1);
  const shape = samplerShape(config, trainClasses);
  // Fails here (before any folder exists) when m-per-class batches are impossible.
  new MPerClassSampler(data.train.labels, shape.m, shape.batchSize, { seed: 0 });
  const dir = typeof options.dir === 'string' ? options.dir : options.dir();

  const trunk = buildTrunk(config, data.sampleShape, data.isImage);
  const divergence = buildDivergence(config);
  const loss = buildLoss(config, divergence, numClasses);
  const miner = buildMiner(config, divergence);
  const { trunkVars, kernelVars } = trunkVariables(trunk);
  const headVars = [...divergence.trainableVariables, ...loss.trainableVariables];
  const sampler = new MPerClassSampler(data.train.labels, shape.m, shape.batchSize, { seed: `${config.seed}/sampler` });
  // Data-parallel: each step takes one batch per worker (effective batch workers × batchSize).
  const workers = dataParallelWorkers(config);
  const stepsPerEpoch =
    config.stepsPerEpoch > 0
      ? config.stepsPerEpoch
      : Math.max(1, Math.floor(data.train.labels.length / (shape.batchSize * workers)));

  const parts: TrainableParts = { trunk, divergence, lossVars: loss.trainableVariables };
  const engineContext = {
    config,
    parts: { trunk, loss, miner, kernelVars },
    trunkVars,
    headVars,
    sampler,
    train: data.train,
  };
  let engine: TrainingEngine;
  try {
    engine =
      workers > 1
        ? await dataParallelEngine({
            ...engineContext,
            init: { config, sampleShape: data.sampleShape, isImage: data.isImage, numClasses },
            backend: options.backend,
          })
        : inProcessEngine(engineContext);
  } catch (error) {
    trunk.dispose();
    divergence.dispose();
    (loss as { dispose?: () => void }).dispose?.();
    throw error;
  }
  let state: RunState;
  const checkpointPath = join(dir, CHECKPOINT_FILE);
  try {
    if (options.resume && existsSync(checkpointPath)) {
      state = await restore(checkpointPath, parts, engine);
      sampler.setState(state.sampler);
      rewriteMetrics(dir, state.curves);
      progress.line(`resumed ${dir} after epoch ${state.epoch} (step ${state.globalStep})`);
    } else {
      state = await startState(config, data, trunk, divergence, sampler);
      await saveCheckpoint(checkpointPath, state, parts, engine);
      saveBest(join(dir, BEST_FILE), parts);
      rewriteMetrics(dir, state.curves);
    }

    const tensorsPerEpoch: number[] = [];
    let stepsThisProcess = 0;
    while (!state.stopped && state.epoch < config.epochs) {
      const epoch = state.epoch + 1;
      let lossSum = 0;
      for (let step = 1; step <= stepsPerEpoch; step++) {
        const lossValue = await engine.step();
        state.globalStep++;
        if (!Number.isFinite(lossValue)) {
          throw new CliError(
            'train',
            'NUMERICAL',
            `the loss became ${lossValue} at epoch ${epoch}, step ${step} (global step ${state.globalStep}); the last good checkpoint (after epoch ${state.epoch}) is kept in ${dir}. Try a lower --learning-rate / --divergence-learning-rate, a smaller --margin, or a stronger scale control`,
          );
        }
        lossSum += lossValue;
        progress.step({ epoch, epochs: config.epochs, step, steps: stepsPerEpoch, loss: lossValue });
        stepsThisProcess++;
        if (options.stopAfterSteps !== undefined && stepsThisProcess >= options.stopAfterSteps) {
          throw new SimulatedCrash();
        }
      }
      await engine.sync();
      const val = await validationMetrics(trunk, divergence, data);
      state.epoch = epoch;
      state.sampler = sampler.getState();
      const trainLoss = lossSum / stepsPerEpoch;
      const stats = await engine.lastStats();
      state.curves.push({ epoch, step: state.globalStep, split: 'train', metric: 'loss', value: trainLoss });
      if (stats) {
        state.curves.push({
          epoch,
          step: state.globalStep,
          split: 'train',
          metric: 'meanPositiveDivergence',
          value: stats.meanPositive,
        });
        state.curves.push({
          epoch,
          step: state.globalStep,
          split: 'train',
          metric: 'meanNegativeDivergence',
          value: stats.meanNegative,
        });
      }
      for (const [metric, value] of Object.entries(val))
        state.curves.push({ epoch, step: state.globalStep, split: 'val', metric, value });
      const improved = (val.mapAtR ?? 0) > state.bestValMapAtR;
      if (improved) {
        state.bestValMapAtR = val.mapAtR ?? 0;
        state.bestEpoch = epoch;
        state.epochsWithoutGain = 0;
        saveBest(join(dir, BEST_FILE), parts);
      } else {
        state.epochsWithoutGain++;
        if (config.patience > 0 && state.epochsWithoutGain >= config.patience) state.stopped = true;
      }
      await saveCheckpoint(checkpointPath, state, parts, engine);
      appendMetrics(dir, { ...epochRecord(state.curves, epoch), numTensors: tf.memory().numTensors });
      tensorsPerEpoch.push(tf.memory().numTensors);
      progress.line(
        `epoch ${epoch}/${config.epochs}: train loss ${trainLoss.toFixed(4)}, val MAP@R ${(val.mapAtR ?? 0).toFixed(4)}, P@1 ${(val.precisionAt1 ?? 0).toFixed(4)}${improved ? ' (best)' : ''}${state.stopped ? `; early stop (no gain for ${config.patience} epochs)` : ''}`,
      );
    }

    // Final evaluation with the best weights (early stopping), against the untrained rows computed at the start.
    restoreWeights(readCheckpointFile(join(dir, BEST_FILE)).arrays, parts);
    const results = await finalResults(config, data, trunk, divergence, state);
    const testEmbeddings = embedAll(trunk, data.test);
    let figures: Awaited<ReturnType<typeof reportFigures>>;
    try {
      figures = await reportFigures(divergence, testEmbeddings, data.test, data.isImage, config.seed);
    } finally {
      testEmbeddings.dispose();
    }
    await trunk.save(fileSystemIOHandler(join(dir, 'model')));
    writeJson(join(dir, 'model', 'divergence.json'), divergence.toJSON());
    const report: RunReportData = {
      title: `${runName(config)}: ${config.divergence} divergence, ${config.loss} loss`,
      createdAt: new Date().toISOString(),
      backend: backendSummary(options.backend),
      config: { ...config },
      curves: state.curves,
      results,
      ...figures,
      notes: [
        data.description,
        `best validation MAP@R ${state.bestValMapAtR.toFixed(4)} at epoch ${state.bestEpoch}${state.bestEpoch === 0 ? ' (training never beat the untrained network on validation: the untrained weights are kept)' : ''}`,
        `sampler: ${shape.m} samples of each of ${shape.batchSize / shape.m} classes per batch; ${stepsPerEpoch} steps per epoch${workers > 1 ? `; data-parallel on ${workers} workers, one batch each (effective batch ${workers * shape.batchSize})` : ''}`,
      ],
    };
    return { report, stoppedEarly: state.stopped, bestEpoch: state.bestEpoch, epochsRun: state.epoch, tensorsPerEpoch };
  } finally {
    await engine.dispose();
    trunk.dispose();
    divergence.dispose();
    (loss as { dispose?: () => void }).dispose?.();
  }
}

/** Thrown by the `stopAfterSteps` test hook to leave the run exactly as a crash would. */
export class SimulatedCrash extends Error {
  constructor() {
    super('simulated crash (stopAfterSteps)');
  }
}

async function validationMetrics(
  trunk: tfl.LayersModel,
  divergence: Divergence,
  data: PreparedData,
): Promise<MetricValues> {
  const embeddings = embedAll(trunk, data.val);
  try {
    return await scoreEmbeddings(divergence, embeddings, data.val.labels, { seed: 0 });
  } finally {
    embeddings.dispose();
  }
}

async function startState(
  config: RunConfig,
  data: PreparedData,
  trunk: tfl.LayersModel,
  divergence: Divergence,
  sampler: MPerClassSampler,
): Promise<RunState> {
  const val = await validationMetrics(trunk, divergence, data);
  const curves: CurvePoint[] = Object.entries(val).map(([metric, value]) => ({
    epoch: 0,
    step: 0,
    split: 'val',
    metric,
    value,
  }));
  const untrainedTest: Record<string, MetricValues> = {};
  const test = embedAll(trunk, data.test);
  try {
    for (const q of queryOrders(divergence)) {
      untrainedTest[q ?? 'symmetric'] = await scoreEmbeddings(divergence, test, data.test.labels, {
        queryIn: q,
        clustering: true,
        seed: config.seed,
      });
    }
  } finally {
    test.dispose();
  }
  return {
    epoch: 0,
    globalStep: 0,
    sampler: sampler.getState(),
    bestValMapAtR: val.mapAtR ?? 0,
    bestEpoch: 0,
    epochsWithoutGain: 0,
    curves,
    untrainedTest,
    stopped: false,
  };
}

/** The test-set rows of a run: raw input (Euclidean, cosine), the untrained network (when known), the trained one. */
export async function finalResults(
  config: RunConfig,
  data: PreparedData,
  trunk: tfl.LayersModel,
  divergence: Divergence,
  state: Pick<RunState, 'untrainedTest'>,
): Promise<ResultRow[]> {
  const rows: ResultRow[] = [];
  const raw = rawFeatures(data.test);
  try {
    for (const [name, d] of [
      ['euclidean', new EuclideanDivergence()],
      ['cosine', new CosineDivergence()],
    ] as const) {
      rows.push({
        protocol: config.protocol,
        model: 'raw input',
        divergence: name,
        metrics: await scoreEmbeddings(d, raw, data.test.labels, { clustering: true, seed: config.seed }),
      });
      d.dispose();
    }
  } finally {
    raw.dispose();
  }
  const bregman = !['euclidean', 'cosine'].includes(config.divergence);
  for (const q of queryOrders(divergence)) {
    const untrained = state.untrainedTest[q ?? 'symmetric'];
    if (untrained)
      rows.push({
        protocol: config.protocol,
        model: 'untrained network',
        divergence: config.divergence,
        ...(q ? { queryIn: q } : {}),
        metrics: untrained,
      });
  }
  const test = embedAll(trunk, data.test);
  try {
    for (const q of queryOrders(divergence)) {
      const metrics = await scoreEmbeddings(divergence, test, data.test.labels, {
        queryIn: q,
        clustering: true,
        bregmanClustering: bregman,
        seed: config.seed,
      });
      rows.push({
        protocol: config.protocol,
        model: 'trained',
        divergence: config.divergence,
        ...(q ? { queryIn: q } : {}),
        metrics,
      });
    }
  } finally {
    test.dispose();
  }
  return rows;
}

/** Everything a checkpoint holds the values of. */
interface TrainableParts {
  readonly trunk: tfl.LayersModel;
  readonly divergence: Divergence;
  readonly lossVars: readonly tf.Variable[];
}

function variablesToStore({ trunk, divergence, lossVars }: TrainableParts): StoredArray[] {
  const out: StoredArray[] = [];
  for (const [i, w] of trunk.getWeights().entries())
    out.push({ name: `trunk/${i}`, shape: w.shape, values: w.dataSync() as Float32Array });
  for (const [i, v] of divergence.trainableVariables.entries())
    out.push({ name: `divergence/${i}`, shape: v.shape, values: v.dataSync() as Float32Array });
  for (const [i, v] of lossVars.entries())
    out.push({ name: `loss/${i}`, shape: v.shape, values: v.dataSync() as Float32Array });
  return out;
}

function restoreWeights(
  arrays: Map<string, { shape: number[]; values: Float32Array }>,
  { trunk, divergence, lossVars }: TrainableParts,
): void {
  const take = (name: string, expectedShape: readonly number[]) => {
    const a = arrays.get(name);
    if (!a || a.shape.join(',') !== expectedShape.join(',')) {
      throw new CliError(
        'checkpoint',
        'BAD_FORMAT',
        `expected ${name} of shape [${expectedShape.join(', ')}] in the checkpoint, got ${a ? `[${a.shape.join(', ')}]` : 'none'} (was the config changed?)`,
      );
    }
    return a;
  };
  const weights = trunk.getWeights().map((w, i) => tf.tensor(take(`trunk/${i}`, w.shape).values, w.shape));
  trunk.setWeights(weights);
  tf.dispose(weights);
  tf.tidy(() => {
    for (const [i, v] of divergence.trainableVariables.entries())
      v.assign(tf.tensor(take(`divergence/${i}`, v.shape).values, v.shape));
    for (const [i, v] of lossVars.entries()) v.assign(tf.tensor(take(`loss/${i}`, v.shape).values, v.shape));
  });
}

function saveBest(path: string, parts: TrainableParts): void {
  writeCheckpointFile(path, { kind: 'best-weights' }, variablesToStore(parts));
}

async function saveCheckpoint(
  path: string,
  state: RunState,
  parts: TrainableParts,
  engine: TrainingEngine,
): Promise<void> {
  const arrays = variablesToStore(parts);
  arrays.push(...(await engine.optimizerArrays()));
  writeCheckpointFile(path, { kind: 'checkpoint', state }, arrays);
}

async function restore(path: string, parts: TrainableParts, engine: TrainingEngine): Promise<RunState> {
  const { header, arrays } = readCheckpointFile<{ state: RunState }>(path);
  restoreWeights(arrays, parts);
  await engine.restore(arrays);
  return header.state;
}
