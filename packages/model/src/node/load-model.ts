import { BregmanModel, type LoadModelOptions } from '../bregman-model';
import type { BregmanModelIndex } from '../bregman-model-index';
import type { ModelLocation } from '../model-location';
import { nodeHost } from './node-host';

/**
 * `BregmanModel.load` with Node's host: `location` may be a folder path (`runs/<run>/model`) or `file:` URL, besides
 * everything the main entry takes; the model can then build ANN indexes and save indexes to folder paths.
 *
 * ```ts
 * const model = await loadModel('runs/2026-12-07-mnist-icnn/model');
 * ```
 */
export function loadModel(location: ModelLocation, options: LoadModelOptions = {}): Promise<BregmanModel> {
  return BregmanModel.load(location, { host: nodeHost, ...options });
}

/** `BregmanModel.loadWithIndex` with Node's host: a model and its index from the folder `index.save(dir)` wrote. */
export function loadModelWithIndex(
  location: ModelLocation,
  options: LoadModelOptions = {},
): Promise<{ model: BregmanModel; index: BregmanModelIndex }> {
  return BregmanModel.loadWithIndex(location, { host: nodeHost, ...options });
}
