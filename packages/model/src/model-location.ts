import { describeValue } from '@empirical-bregman/common';
import { fileListSource } from './file-list-source';
import type { ModelHost } from './model-host';
import { ModelError } from './model-error';
import { type FileLike, type ModelSink, type ModelSource, isModelSink, isModelSource } from './model-source';
import { urlSource } from './url-source';

/**
 * Where a model or a saved index is read from: a {@link ModelSource}; a URL (`https:`, or relative to the page in a
 * browser); picked files; or, with a host that reads folders (`@empirical-bregman/model/node`), a folder path or a
 * `file:` URL.
 */
export type ModelLocation = ModelSource | URL | string | Iterable<FileLike> | ArrayLike<FileLike>;

/** Where an index (with its model) is written: a {@link ModelSink}, or a folder path with a host that writes folders. */
export type ModelTarget = ModelSink | string;

const WEB_URL = /^(https?|blob|data):/i;

/** The {@link ModelSource} a location stands for. Internal. */
export function sourceOf(component: string, location: ModelLocation, host: ModelHost | undefined): ModelSource {
  if (isModelSource(location)) return location;
  if (typeof location === 'string' || location instanceof URL) {
    const text = String(location);
    if (!WEB_URL.test(text) && host?.directorySource) return host.directorySource(text);
    return urlSource(text);
  }
  if (location !== null && typeof location === 'object') return fileListSource(location as Iterable<FileLike>);
  throw new ModelError(
    component,
    'INVALID_ARGUMENT',
    `expected a ModelSource, a URL, picked files or (in Node, through @empirical-bregman/model/node) a folder path, got ${describeValue(location)}`,
  );
}

/** The {@link ModelSink} a target stands for. Internal. */
export function sinkOf(component: string, target: ModelTarget, host: ModelHost | undefined): ModelSink {
  if (isModelSink(target)) return target;
  if (typeof target === 'string') {
    if (host?.directorySink) return host.directorySink(target);
    throw new ModelError(
      component,
      'UNAVAILABLE',
      `expected a ModelSink (e.g. MemoryFiles), got the folder path ${JSON.stringify(target)}: writing folders needs Node — load the model with @empirical-bregman/model/node's loadModel, or pass its directorySink(path)`,
    );
  }
  throw new ModelError(
    component,
    'INVALID_ARGUMENT',
    `expected a ModelSink or a folder path, got ${describeValue(target)}`,
  );
}

/** A view of `source` inside its sub-folder `prefix` (e.g. `model/`). Internal. */
export function subSource(source: ModelSource, prefix: string): ModelSource {
  return {
    description: `${source.description.replace(/\/$/, '')}/${prefix}`,
    ...(source.directory === undefined ? {} : { directory: `${source.directory.replace(/[\\/]+$/, '')}/${prefix}` }),
    readBytes: (name) => source.readBytes(`${prefix}${name}`),
    readText: (name) => source.readText(`${prefix}${name}`),
  };
}

/** A view of `sink` inside its sub-folder `prefix`. Internal. */
export function subSink(sink: ModelSink, prefix: string): ModelSink {
  return {
    description: `${sink.description.replace(/\/$/, '')}/${prefix}`,
    ...(sink.directory === undefined ? {} : { directory: `${sink.directory.replace(/[\\/]+$/, '')}/${prefix}` }),
    write: (name, data) => sink.write(`${prefix}${name}`, data),
  };
}
