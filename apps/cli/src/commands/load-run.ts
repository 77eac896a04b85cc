import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type Divergence, type DivergenceJSON, divergenceFromJSON } from '@empirical-bregman/bregman-core';
import { fileSystemIOHandler } from '@empirical-bregman/runtime';
import type * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { CliError } from '../cli-error';
import type { RunConfig } from '../config/run-config';
import { validateRunConfig } from '../config/validate-run-config';
import { readSamples } from '../io/read-samples';
import { embedSamples } from '../tasks/retrieval/embeddings';
import type { PreparedData } from '../tasks/retrieval/prepare-data';
import { readJson, requireRunFolder } from '../run/run-folder';
import { requireDatasetPresent } from './require-dataset-present';

/** A finished run's configuration, trained embedding network and divergence (the caller disposes them). */
export async function loadRun(
  runDir: string,
  component: string,
): Promise<{ dir: string; config: RunConfig; trunk: tfl.LayersModel; divergence: Divergence }> {
  const dir = requireRunFolder(runDir, component);
  const config = validateRunConfig(readJson(join(dir, 'config.json'), component), `${dir}/config.json`);
  if (config.dataset === 'divergence-regression') {
    throw new CliError(
      component,
      'UNSUPPORTED',
      `expected a retrieval run, got a divergence-regression run in ${dir} (it has no embedding network; its results are in results.json, and bregman report rebuilds its report)`,
    );
  }
  requireDatasetPresent(config.dataset, component);
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
