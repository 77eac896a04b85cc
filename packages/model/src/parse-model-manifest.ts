import { describeValue } from '@empirical-bregman/common';
import { MODEL_FORMAT, MODEL_SCHEMA_VERSION, type ModelInputSpec, type ModelManifest } from './model-manifest';
import { ModelError } from './model-error';
import { checkRelativeName } from './relative-name';

const TOP_KEYS = [
  'schemaVersion',
  'format',
  'createdAt',
  'producer',
  'trunk',
  'divergence',
  'embeddingDim',
  'querySlot',
  'input',
  'labels',
  'data',
] as const;

/**
 * Checks a parsed `manifest.json` against schema version 1 and returns it typed. Strict: every required field with
 * its type and range, no unknown key at any level, shapes consistent (`featureNames` and the standardizer's
 * arrays match ∏sampleShape). Order of the checks: `format`, then `schemaVersion` (a manifest of another version
 * fails with that one error, `UNSUPPORTED`, naming its version and the one this package reads), then the rest
 * (`BAD_FORMAT`).
 *
 * ```ts
 * const manifest = parseModelManifest(JSON.parse(text)); // throws ModelError on anything off
 * ```
 *
 * @param value the parsed JSON.
 * @param component the public function reported in errors (default `'parseModelManifest'`).
 * @param file the file named in errors (default `'manifest.json'`).
 */
export function parseModelManifest(
  value: unknown,
  component = 'parseModelManifest',
  file = 'manifest.json',
): ModelManifest {
  /** `got` is described (`describeValue`), unless given as `{ text }`. */
  const bad = (what: string, got: unknown): ModelError =>
    new ModelError(component, 'BAD_FORMAT', `expected ${file} ${what}, got ${gotText(got)}`);
  const object = (path: string, v: unknown, required: readonly string[], optional: readonly string[] = []) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) throw bad(`${path} to be an object`, v);
    const record = v as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      if (!required.includes(key) && !optional.includes(key)) {
        throw new ModelError(
          component,
          'BAD_FORMAT',
          `expected ${file} ${path} to hold only ${[...required, ...optional].join(', ')}, got the unknown key ${JSON.stringify(key)}`,
        );
      }
    }
    for (const key of required) {
      if (!(key in record)) {
        const full = path === '' ? key : `${path}.${key}`;
        throw new ModelError(component, 'BAD_FORMAT', `expected ${file} to have ${full}, got no such key`);
      }
    }
    return record;
  };
  const string = (path: string, v: unknown): string => {
    if (typeof v !== 'string' || v.length === 0) throw bad(`${path} to be a non-empty string`, v);
    return v;
  };

  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw bad('to hold a JSON object', value);
  const top = value as Record<string, unknown>;
  if (top.format !== MODEL_FORMAT) throw bad(`format to be ${JSON.stringify(MODEL_FORMAT)}`, top.format);
  if (typeof top.schemaVersion !== 'number' || !Number.isInteger(top.schemaVersion)) {
    throw bad('schemaVersion to be an integer', top.schemaVersion);
  }
  if (top.schemaVersion !== MODEL_SCHEMA_VERSION) {
    throw new ModelError(
      component,
      'UNSUPPORTED',
      `expected ${file} schemaVersion ${MODEL_SCHEMA_VERSION} (the only version this @empirical-bregman/model reads), got schemaVersion ${top.schemaVersion}: ${top.schemaVersion > MODEL_SCHEMA_VERSION ? 'upgrade @empirical-bregman/model' : 'this version is not supported'}`,
    );
  }
  object('', top, TOP_KEYS);

  const createdAt = string('createdAt', top.createdAt);
  if (Number.isNaN(Date.parse(createdAt))) throw bad('createdAt to be an ISO 8601 time', createdAt);

  const producerRecord = object('producer', top.producer, ['name', 'version', 'tfjs']);
  const producer = {
    name: string('producer.name', producerRecord.name),
    version: string('producer.version', producerRecord.version),
    tfjs: string('producer.tfjs', producerRecord.tfjs),
  };

  const trunk = checkRelativeName(component, `${file} trunk`, top.trunk);
  const divergence = checkRelativeName(component, `${file} divergence`, top.divergence);

  const embeddingDim = top.embeddingDim;
  if (typeof embeddingDim !== 'number' || !Number.isInteger(embeddingDim) || embeddingDim < 1) {
    throw bad('embeddingDim to be a positive integer', embeddingDim);
  }
  const querySlot = top.querySlot;
  if (querySlot !== 'left' && querySlot !== 'right') throw bad('querySlot to be "left" or "right"', querySlot);

  const input = parseInput(
    object('input', top.input, ['kind', 'sampleShape'], ['featureNames', 'standardizer', 'divisor']),
    bad,
    object,
  );

  const labelsRecord = object('labels', top.labels, ['names']);
  const names = labelsRecord.names;
  if (!Array.isArray(names) || names.some((n) => typeof n !== 'string')) {
    throw bad('labels.names to be an array of strings', names);
  }

  const dataRecord = object('data', top.data, ['source', 'fingerprint']);
  const source = string('data.source', dataRecord.source);
  const fingerprint = dataRecord.fingerprint;
  if (fingerprint !== null && (typeof fingerprint !== 'string' || !/^[0-9a-f]{64}$/.test(fingerprint))) {
    throw bad('data.fingerprint to be a SHA-256 in lower-case hex or null', fingerprint);
  }

  return {
    schemaVersion: MODEL_SCHEMA_VERSION,
    format: MODEL_FORMAT,
    createdAt,
    producer,
    trunk,
    divergence,
    embeddingDim,
    querySlot,
    input,
    labels: { names: [...(names as string[])] },
    data: { source, fingerprint },
  };
}

function parseInput(
  record: Record<string, unknown>,
  bad: (what: string, got: unknown) => ModelError,
  object: (path: string, v: unknown, required: readonly string[]) => Record<string, unknown>,
): ModelInputSpec {
  const kind = record.kind;
  if (kind !== 'table' && kind !== 'image' && kind !== 'array') {
    throw bad('input.kind to be "table", "image" or "array"', kind);
  }
  const shape = record.sampleShape;
  if (
    !Array.isArray(shape) ||
    shape.length === 0 ||
    shape.some((s) => typeof s !== 'number' || !Number.isInteger(s) || s < 1)
  ) {
    throw bad('input.sampleShape to be a non-empty array of positive integers', shape);
  }
  const sampleShape = [...(shape as number[])];
  const size = sampleShape.reduce((a, b) => a * b, 1);
  const spec: { -readonly [K in keyof ModelInputSpec]: ModelInputSpec[K] } = { kind, sampleShape };

  if (record.featureNames !== undefined) {
    const names = record.featureNames;
    if (!Array.isArray(names) || names.some((n) => typeof n !== 'string')) {
      throw bad('input.featureNames to be an array of strings', names);
    }
    if (kind !== 'table' || sampleShape.length !== 1 || names.length !== sampleShape[0]) {
      throw bad(`input.featureNames only for kind "table", one name per feature (sampleShape [${names.length}])`, {
        text: `kind ${JSON.stringify(kind)} with sampleShape [${sampleShape.join(', ')}] and ${names.length} names`,
      });
    }
    spec.featureNames = [...(names as string[])];
  }

  if (record.standardizer !== undefined) {
    const standardizer = object('input.standardizer', record.standardizer, ['mean', 'std']);
    const numbers = (name: 'mean' | 'std'): number[] => {
      const v = standardizer[name];
      if (!Array.isArray(v) || v.some((x) => typeof x !== 'number' || !Number.isFinite(x))) {
        throw bad(`input.standardizer.${name} to be an array of finite numbers`, v);
      }
      if (v.length !== size) {
        throw bad(`input.standardizer.${name} of length ${size} (∏sampleShape [${sampleShape.join(', ')}])`, {
          text: `length ${v.length}`,
        });
      }
      return [...(v as number[])];
    };
    const mean = numbers('mean');
    const std = numbers('std');
    const nonPositive = std.findIndex((s) => !(s > 0));
    if (nonPositive >= 0) {
      throw bad(`input.standardizer.std to be positive (std[${nonPositive}])`, std[nonPositive]);
    }
    spec.standardizer = { mean, std };
  }

  if (record.divisor !== undefined) {
    const divisor = record.divisor;
    if (typeof divisor !== 'number' || !Number.isFinite(divisor) || !(divisor > 0)) {
      throw bad('input.divisor to be a positive finite number', divisor);
    }
    spec.divisor = divisor;
  }
  return spec;
}

function gotText(got: unknown): string {
  if (got !== null && typeof got === 'object' && typeof (got as { text?: unknown }).text === 'string') {
    return (got as { text: string }).text;
  }
  return describeValue(got);
}
