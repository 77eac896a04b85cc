import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type Divergence, type DivergenceJSON, divergenceFromJSON } from '@empirical-bregman/bregman-core';
import { fileSystemIOHandler } from '@empirical-bregman/runtime/node';
import type * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { CliError } from '../cli-error';
import type { RunConfig } from '../config/run-config';
import { taskOfConfig, validateRunConfig } from '../config/validate-run-config';
import { readSamples } from '../io/read-samples';
import { embedSamples } from '../tasks/retrieval/embeddings';
import { type PreparedData, prepareData } from '../tasks/retrieval/prepare-data';
import { MODEL_MANIFEST } from '../tasks/retrieval/model-manifest';
import { readJson, requireRunFolder } from '../run/run-folder';
import { requireDatasetPresent } from './require-dataset-present';

/** A finished run's configuration, trained embedding network and divergence (the caller disposes them). */
export async function loadRun(
  runDir: string,
  component: string,
): Promise<{ dir: string; config: RunConfig; trunk: tfl.LayersModel; divergence: Divergence }> {
  const dir = requireRunFolder(runDir, component);
  const config = validateRunConfig(readJson(join(dir, 'config.json'), component), `${dir}/config.json`);
  const task = taskOfConfig(config);
  if (!task.savesEmbeddingModel) {
    throw new CliError(
      component,
      'UNSUPPORTED',
      `expected a run with an embedding model, got a ${task.name} run in ${dir} (its results are in results.json, and bregman report rebuilds its report)`,
    );
  }
  if (config.data === undefined) requireDatasetPresent(config.dataset, component);
  const modelDir = join(dir, 'model');
  if (!existsSync(join(modelDir, 'model.json')) || !existsSync(join(modelDir, 'divergence.json'))) {
    throw new CliError(
      component,
      'NOT_FOUND',
      `expected a saved model in ${modelDir} (model.json, divergence.json), got none: did the run finish? (resume it with bregman train --resume ${dir})`,
    );
  }
  const trunk = await tfl.loadLayersModel(fileSystemIOHandler(modelDir));
  const divergence = divergenceFromJSON(readJson<DivergenceJSON>(join(modelDir, 'divergence.json'), component));
  return { dir, config, trunk, divergence };
}

/**
 * Embeds the samples of a user's file (JSON/CSV/NPY, see readSamples) with a run's trunk, after the run's own
 * preprocessing (standardisation for tabular data, rebuilt from its training part). The caller disposes the tensor.
 */
export function embedInputFile(
  trunk: tfl.LayersModel,
  data: PreparedData,
  input: string,
): { embeddings: tf.Tensor2D; count: number } {
  const shape = [...data.sampleShape];
  const { features, count } = readSamples(
    input,
    shape.reduce((a, b) => a * b, 1),
  );
  return { embeddings: embedSamples(trunk, data.preprocess(features), count, shape), count };
}

/**
 * The data of a finished run, as it was split for training (for `eval` and `query`, which score against its test
 * part). For users' files the fingerprint of what is read now must be the one the model was trained on (its
 * manifest): files changed since are refused (exit code 3), not silently re-split.
 */
export async function prepareRunData(dir: string, config: RunConfig, component: string): Promise<PreparedData> {
  const data = await prepareData(config);
  const manifestPath = join(dir, 'model', MODEL_MANIFEST);
  if (config.data !== undefined && existsSync(manifestPath)) {
    const trained = readJson<{ data?: { fingerprint?: string | null } }>(manifestPath, component).data?.fingerprint;
    if (trained && trained !== data.source.fingerprint)
      throw new CliError(
        component,
        'BAD_FORMAT',
        `expected the files the model was trained on at ${config.data} (fingerprint ${trained.slice(0, 12)}…), got files with fingerprint ${data.source.fingerprint?.slice(0, 12) ?? 'none'}…: they changed since training`,
      );
  }
  return data;
}
