import type { ModelHost } from '../model-host';
import { directorySink } from './directory-sink';
import { directorySource } from './directory-source';
import { usearchAnn } from './usearch-ann';

/** Node's {@link ModelHost}: folder paths (fs, atomic writes) and ANN indexes (search/ann, usearch, loaded lazily). */
export const nodeHost: ModelHost = {
  directorySource,
  directorySink,
  ann: usearchAnn,
};
