export { writeFileAtomic } from './write-file-atomic';
export { findBuiltFile } from './find-built-file';
export { NodeIoError } from './node-io-error';
export { ensureDirectory } from './ensure-directory';
