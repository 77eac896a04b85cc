export { loadModel, loadModelWithIndex } from './load-model';
export { nodeHost } from './node-host';
export { directorySource } from './directory-source';
export { directorySink } from './directory-sink';
export { usearchAnn } from './usearch-ann';
