import { join } from 'node:path';
import {
  CosineDivergence,
  type Divergence,
  EuclideanDivergence,
  type QuerySlot,
  bregmanGeneratorOf,
} from '@empirical-bregman/bregman-core';
import { MPerClassSampler, type MPerClassSamplerState } from '@empirical-bregman/datasets';
import { fileSystemIOHandler } from '@empirical-bregman/runtime/node';
import * as tf from '@tensorflow/tfjs-core';
import { CliError } from '../../cli-error';
import { type RunConfig, dataParallelWorkers, runName } from '../../config/run-config';
import type { MetricValues, ResultRow, RunReportData } from '../../report/report-data';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { NamedArray } from '@empirical-bregman/common';
import { writeJson } from '../../run/run-folder';
import { assignVariables, takeArray, variableArrays } from '../../run/stored-variables';
import type { Task, TaskSession } from '../../run/task';
import { closedSetCalibration, unseenClassDetection } from './calibration';
import { embedAll, rawFeatures, recallNotApplicable, scoreEmbeddings } from './embeddings';
import { type ModelParts, type RunLoss, buildModelParts } from './model-parts';
import { MODEL_MANIFEST, modelManifest } from './model-manifest';
import { type PreparedData, prepareData } from './prepare-data';
import { reportFigures, sampleTiles } from './report-figures';
import { RETRIEVAL_SETTINGS, checkLossConfig } from './retrieval-settings';
import { type TrainingEngine, dataParallelEngine, inProcessEngine } from './training-engine';

/** The untrained network's test metrics per query slot (`left`, `right`, or `symmetric`). */
type UntrainedTest = Record<string, MetricValues>;

/** The query slots to evaluate: both for asymmetric divergences. */
function queryOrders(divergence: Divergence): (QuerySlot | undefined)[] {
  return divergence.symmetric ? [undefined] : ['left', 'right'];
}

/** How the m-per-class sampler fills a batch: m samples of each of batchSize / m classes. */
export interface SamplerShape {
  readonly m: number;
  readonly batchSize: number;
  /** Why m or the batch differ from what the config asked for, when they do (a line for the run's notes). */
  readonly adapted?: string;
}

/**
 * m of the m-per-class sampler and the effective batch size for the training labels. With `samplesPerClass` 0
 * (auto), m = batchSize / classes, lowered to the smallest training class when that class is smaller (said in the
 * run's notes); a given `samplesPerClass` must fit every class and divide the batch size, else one line names the
 * flags to change.
 */
export function samplerShape(config: RunConfig, trainLabels: Int32Array): SamplerShape {
  const counts = new Map<number, number>();
  for (const l of trainLabels) counts.set(l, (counts.get(l) ?? 0) + 1);
  const numClasses = counts.size;
  const smallest = Math.min(...counts.values());
  const tooSmall = (m: number) =>
    [...counts]
      .filter(([, n]) => n < m)
      .sort((a, b) => a[0] - b[0])
      .map(([c, n]) => `class ${c} has ${n}`);
  let m: number;
  let adapted: string | undefined;
  if (config.samplesPerClass > 0) {
    m = config.samplesPerClass;
    if (config.batchSize % m !== 0) {
      const lower = Math.max(m, config.batchSize - (config.batchSize % m));
      throw new CliError(
        'config',
        'INVALID_ARGUMENT',
        `--batch-size ${config.batchSize} is not a multiple of --samples-per-class ${m}: use --batch-size ${lower} or ${lower + m}`,
      );
    }
    const small = tooSmall(m);
    if (small.length > 0)
      throw new CliError(
        'config',
        'INVALID_ARGUMENT',
        `--samples-per-class ${m} needs at least ${m} training samples in every class, but ${small.slice(0, 3).join(', ')}${small.length > 3 ? ` (and ${small.length - 3} more)` : ''}: use --samples-per-class ${Math.max(2, smallest)} or less`,
      );
  } else {
    m = Math.max(2, Math.floor(config.batchSize / numClasses));
    if (m > smallest) {
      if (smallest < 2)
        throw new CliError(
          'config',
          'INVALID_ARGUMENT',
          `the m-per-class sampler needs at least 2 training samples in every class, but ${tooSmall(2).slice(0, 3).join(', ')}: use a larger training part (--max-train-samples 0, a smaller --test-fraction / --val-fraction) or drop those classes from the data`,
        );
      adapted = `samples per class lowered from ${m} (batch size ${config.batchSize} / ${numClasses} classes) to ${smallest}, the size of the smallest training class (set --samples-per-class to choose)`;
      m = smallest;
    }
  }
  const classesPerBatch = Math.max(2, Math.min(numClasses, Math.floor(config.batchSize / m)));
  if (classesPerBatch > numClasses) {
    throw new CliError(
      'config',
      'INVALID_ARGUMENT',
      `"batchSize" ${config.batchSize} with "samplesPerClass" ${m} needs ${classesPerBatch} classes per batch, but the training part has ${numClasses}`,
    );
  }
  return { m, batchSize: m * classesPerBatch, ...(adapted ? { adapted } : {}) };
}

/**
 * Deep metric learning on labelled data: the embedding network and the divergence head trained jointly on
 * m-per-class batches, validated by MAP@R, tested by retrieval (P@1, R-precision, MAP@R, Recall@K, kNN accuracy)
 * and clustering against the raw input and the untrained network. In this thread or as data-parallel replicas.
 */
export const retrievalTask: Task = {
  name: 'retrieval',
  description: 'an embedding network and a divergence head trained jointly on labelled data, scored by retrieval',
  savesEmbeddingModel: true,
  settings: RETRIEVAL_SETTINGS,
  checkConfig: checkLossConfig,
  async start(config, { backend, progress }) {
    const data = await prepareData(config);
    let numClasses = 0;
    for (const part of [data.train, data.val, data.test])
      for (const l of part.labels) numClasses = Math.max(numClasses, l + 1);
    const shape = samplerShape(config, data.train.labels);
    if (shape.adapted) progress.line(shape.adapted);
    // Fails here (before any folder exists) when m-per-class batches are impossible.
    new MPerClassSampler(data.train.labels, shape.m, shape.batchSize, { seed: 0 });

    const parts = buildModelParts(config, data.sampleShape, data.isImage, numClasses);
    const sampler = new MPerClassSampler(data.train.labels, shape.m, shape.batchSize, {
      seed: `${config.seed}/sampler`,
    });
    // Data-parallel: each step takes one batch per worker (effective batch workers × batchSize).
    const workers = dataParallelWorkers(config);
    const stepsPerEpoch =
      config.stepsPerEpoch > 0
        ? config.stepsPerEpoch
        : Math.max(1, Math.floor(data.train.labels.length / (shape.batchSize * workers)));
    const context = { config, parts, sampler, train: data.train, totalSteps: stepsPerEpoch * config.epochs };
    let engine: TrainingEngine;
    try {
      engine =
        workers > 1
          ? await dataParallelEngine({
              ...context,
              init: { config, sampleShape: data.sampleShape, isImage: data.isImage, numClasses },
              backend,
            })
          : inProcessEngine(context);
    } catch (error) {
      parts.dispose();
      throw error;
    }
    const samplerNote = `${shape.adapted ? `${shape.adapted}; ` : ''}sampler: ${shape.m} samples of each of ${shape.batchSize / shape.m} classes per batch; ${stepsPerEpoch} steps per epoch${workers > 1 ? `; data-parallel on ${workers} workers, one batch each (effective batch ${workers * shape.batchSize})` : ''}`;
    return retrievalSession(config, data, parts, sampler, engine, stepsPerEpoch, samplerNote);
  },
};

function retrievalSession(
  config: RunConfig,
  data: PreparedData,
  parts: ModelParts,
  sampler: MPerClassSampler,
  engine: TrainingEngine,
  stepsPerEpoch: number,
  samplerNote: string,
): TaskSession {
  const { trunk, divergence } = parts;
  const lossVars = parts.loss.trainableVariables;
  return {
    stepsPerEpoch,
    trainable: true,
    selection: { metric: 'mapAtR', better: 'higher' },
    dataFingerprint: data.source.fingerprint,
    lossName: 'loss',
    nonFiniteAdvice:
      'Try a lower --learning-rate / --divergence-learning-rate, a smaller --margin, or a stronger scale control',
    async validate() {
      const embeddings = embedAll(trunk, data.val);
      try {
        return await scoreEmbeddings(divergence, embeddings, data.val.labels, { seed: 0, domains: data.val.domains });
      } finally {
        embeddings.dispose();
      }
    },
    async untrainedBaseline(): Promise<UntrainedTest> {
      const untrained: UntrainedTest = {};
      const test = embedAll(trunk, data.test);
      try {
        for (const q of queryOrders(divergence)) {
          untrained[q ?? 'symmetric'] = await scoreEmbeddings(divergence, test, data.test.labels, {
            querySlot: q,
            domains: data.test.domains,
            clustering: true,
            seed: config.seed,
          });
        }
      } finally {
        test.dispose();
      }
      return untrained;
    },
    step: () => engine.step(),
    async endEpoch(meanLoss) {
      await engine.sync();
      const stats = await engine.lastStats();
      const values: Record<string, number> = { loss: meanLoss };
      if (stats) {
        values.meanPositiveDivergence = stats.meanPositive;
        values.meanNegativeDivergence = stats.meanNegative;
      }
      return values;
    },
    summarizeEpoch: (train, val) =>
      `train loss ${(train.loss ?? 0).toFixed(4)}, val MAP@R ${(val.mapAtR ?? 0).toFixed(4)}, P@1 ${(val.precisionAt1 ?? 0).toFixed(4)}`,
    weightArrays() {
      const out: NamedArray<'float32'>[] = trunk
        .getWeights()
        .map((w, i) => ({ name: `trunk/${i}`, shape: w.shape, values: w.dataSync() as Float32Array }));
      return [
        ...out,
        ...variableArrays('divergence', divergence.trainableVariables),
        ...variableArrays('loss', lossVars),
        ...memoryArrays(parts.loss),
      ];
    },
    restoreWeights(arrays) {
      const weights = trunk
        .getWeights()
        .map((w, i) => tf.tensor(takeArray(arrays, `trunk/${i}`, w.shape).values, w.shape));
      trunk.setWeights(weights);
      tf.dispose(weights);
      assignVariables('divergence', divergence.trainableVariables, arrays);
      assignVariables('loss', lossVars, arrays);
      restoreMemory(parts.loss, arrays);
    },
    optimizerArrays: () => engine.optimizerArrays(),
    restoreOptimizers: (arrays) => engine.restore(arrays),
    dataState: () => sampler.getState(),
    restoreDataState: (state) => sampler.setState(state as MPerClassSamplerState),
    async finish(dir, run) {
      // The test part embedded once, for the results, the class probabilities and the figures.
      const testEmbeddings = embedAll(trunk, data.test);
      let results: ResultRow[];
      let uncertainty: Uncertainty;
      let sections: Awaited<ReturnType<typeof reportFigures>>;
      try {
        results = await finalResults(config, data, testEmbeddings, divergence, run.untrainedBaseline as UntrainedTest);
        uncertainty = await scoreUncertainty(config, data, trunk, divergence, testEmbeddings);
        results = withUncertainty(results, uncertainty);
        sections = {
          ...(await reportFigures(divergence, testEmbeddings, data.test, data.isImage, config.seed, data.classNames)),
          ...(data.isImage ? { samples: sampleTiles(data.train, data.classNames) } : {}),
        };
      } finally {
        testEmbeddings.dispose();
      }
      await trunk.save(fileSystemIOHandler(join(dir, 'model')));
      writeJson(join(dir, 'model', 'divergence.json'), divergence.toJSON());
      writeJson(join(dir, 'model', MODEL_MANIFEST), modelManifest(config, data, divergence));
      return {
        title: `${runName(config)}: ${config.divergence} divergence, ${config.loss} loss`,
        results,
        sections: { ...sections, ...uncertainty.sections },
        notes: [
          data.description,
          `best validation MAP@R ${run.bestScore.toFixed(4)} at epoch ${run.bestEpoch}${run.bestEpoch === 0 ? ' (training never beat the untrained network on validation: the untrained weights are kept)' : ''}`,
          samplerNote,
          ...crossDomainNote(data),
          ...recallNotApplicable(data.test.labels, data.test.domains),
        ],
      };
    },
    async dispose() {
      await engine.dispose();
      parts.dispose();
    },
  };
}

/**
 * A cross-batch memory as checkpoint arrays (`memory/embeddings` [rows, width], `memory/labels` [rows] as float32:
 * labels are small integers, exact in float32), so a resumed run compares its batches with the same references as an
 * uninterrupted one. None without a memory.
 */
function memoryArrays(loss: RunLoss): NamedArray<'float32'>[] {
  if (!loss.memory) return [];
  const { rows, width, embeddings, labels } = loss.memory.memoryArrays();
  return [
    { name: 'memory/embeddings', shape: [rows, width], values: embeddings },
    { name: 'memory/labels', shape: [rows], values: Float32Array.from(labels) },
  ];
}

function restoreMemory(loss: RunLoss, arrays: ReadonlyMap<string, NamedArray<'float32'>>): void {
  if (!loss.memory) return;
  const embeddings = arrays.get('memory/embeddings');
  const labels = arrays.get('memory/labels');
  if (!embeddings || !labels || embeddings.shape.length !== 2)
    throw new CliError(
      'checkpoint',
      'BAD_FORMAT',
      'expected the cross-batch memory (memory/embeddings, memory/labels) in the checkpoint, got none (was the config changed?)',
    );
  const [rows, width] = embeddings.shape as [number, number];
  loss.memory.restoreMemory({ rows, width, embeddings: embeddings.values, labels: labels.values });
}

/** What {@link scoreUncertainty} adds to a run: metrics for the trained row, and report sections. */
export interface Uncertainty {
  readonly metrics: MetricValues;
  readonly sections: Pick<RunReportData, 'calibration' | 'unseenClasses'>;
}

/**
 * The uncertainty a run can state about its test part. Closed-set: the test classes are the training classes, so
 * class probabilities are scored (centroid posterior and k-NN kernel). Class-disjoint: the test classes are unseen,
 * and the held-out items of the training classes (`data.seenTest`) are the seen side of unseen-class detection; a run
 * folder made before that part existed has its training classes all trained on, so pass `seenTest: false` there.
 *
 * Domains (the emoji's vendors) play no part here, unlike in retrieval: calibration and unseen-class detection score
 * each item against the training classes (their centroids and nearest training items), not against other test items
 * of another domain, so there is no same-domain match to exclude. `data.seenTest` still carries its `domains`
 * (`subsetData` keeps them) for anything that does compare within it.
 */
export async function scoreUncertainty(
  config: RunConfig,
  data: PreparedData,
  trunk: tfl.LayersModel,
  divergence: Divergence,
  testEmbeddings: tf.Tensor2D,
  options: { readonly seenTest?: boolean } = {},
): Promise<Uncertainty> {
  const calibration =
    config.protocol === 'closed-set' ? await closedSetCalibration(trunk, divergence, data, testEmbeddings) : undefined;
  const unseen =
    data.seenTest && options.seenTest !== false
      ? await unseenClassDetection(trunk, divergence, { ...data, seenTest: data.seenTest }, testEmbeddings, config.seed)
      : undefined;
  return {
    metrics: { ...calibration?.metrics, ...unseen?.metrics },
    sections: {
      ...(calibration ? { calibration: calibration.report } : {}),
      ...(unseen ? { unseenClasses: unseen.report } : {}),
    },
  };
}

/** The rows with the uncertainty metrics added to the trained row whose query is in the left slot (the centroid is
 * the class mean there). */
export function withUncertainty(rows: readonly ResultRow[], uncertainty: Uncertainty): ResultRow[] {
  if (Object.keys(uncertainty.metrics).length === 0) return [...rows];
  return rows.map((row) =>
    row.model === 'trained' && row.querySlot !== 'right'
      ? { ...row, metrics: { ...row.metrics, ...uncertainty.metrics } }
      : row,
  );
}

/**
 * The report note of a cross-domain split (samples with `domains`, e.g. the emoji drawn by two vendors), or nothing.
 */
export function crossDomainNote(data: PreparedData): string[] {
  const { domains, domainNames, labels } = data.test;
  if (!domains || !domainNames || new Set(domains).size < 2) return [];
  const perClassAndDomain = new Map<string, number>();
  domains.forEach((g, i) => {
    const key = `${labels[i]}/${g}`;
    perClassAndDomain.set(key, (perClassAndDomain.get(key) ?? 0) + 1);
  });
  const single = [...perClassAndDomain.values()].every((n) => n === 1);
  return [
    `cross-domain retrieval (${domainNames.join(' / ')}): each ${domainNames.join(' or ')} test item queries the other ${domainNames.length > 2 ? "domains' items" : "domain's items"} only (validation likewise)${single && domainNames.length === 2 ? '; one relevant item per query, so MAP@R = R-precision = P@1' : ''}`,
  ];
}

/**
 * The test-set rows of a run: raw input (Euclidean, cosine), the untrained network (when known), the trained one
 * (from `testEmbeddings`, the trained network's embeddings of `data.test`; the caller owns them).
 */
export async function finalResults(
  config: RunConfig,
  data: PreparedData,
  testEmbeddings: tf.Tensor2D,
  divergence: Divergence,
  untrainedTest: UntrainedTest,
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
        metrics: await scoreEmbeddings(d, raw, data.test.labels, {
          clustering: true,
          seed: config.seed,
          domains: data.test.domains,
        }),
      });
      d.dispose();
    }
  } finally {
    raw.dispose();
  }
  const bregman = bregmanGeneratorOf(divergence) !== null;
  for (const q of queryOrders(divergence)) {
    const untrained = untrainedTest[q ?? 'symmetric'];
    if (untrained)
      rows.push({
        protocol: config.protocol,
        model: 'untrained network',
        divergence: config.divergence,
        ...(q ? { querySlot: q } : {}),
        metrics: untrained,
      });
  }
  for (const q of queryOrders(divergence)) {
    const metrics = await scoreEmbeddings(divergence, testEmbeddings, data.test.labels, {
      querySlot: q,
      domains: data.test.domains,
      clustering: true,
      bregmanClustering: bregman,
      seed: config.seed,
    });
    rows.push({
      protocol: config.protocol,
      model: 'trained',
      divergence: config.divergence,
      ...(q ? { querySlot: q } : {}),
      metrics,
    });
  }
  return rows;
}
