export { MODEL_FORMAT, MODEL_SCHEMA_VERSION } from './model-manifest';
export type { ModelInputSpec, ModelManifest } from './model-manifest';
export { parseModelManifest } from './parse-model-manifest';
export { ModelError } from './model-error';
