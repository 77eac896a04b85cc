import type { QuerySlot } from '@empirical-bregman/bregman-core';
import { describeValue, isEmpiricalBregmanError } from '@empirical-bregman/common';
import { float32FromLittleEndian, int32FromLittleEndian, littleEndianBytes } from './little-endian';
import { ModelError } from './model-error';
import type { ModelSink, ModelSource } from './model-source';
import { readRequiredBytes, readRequiredJson } from './read-model-file';
import { checkRelativeName } from './relative-name';
import { sha256Hex } from './sha256-hex';

/** `index.json`'s `format`. */
export const INDEX_FORMAT = 'empirical-bregman-model-index';
/** The one `version` of `index.json` this package reads and writes. */
export const INDEX_VERSION = 1;
/** The header file of a saved index. */
export const INDEX_HEADER = 'index.json';

/** A binary array file: raw values, little-endian, row-major, described in the header. */
export interface ArrayFileEntry {
  readonly file: string;
  readonly dtype: 'float32' | 'int32';
  readonly byteOrder: 'little';
  readonly shape: readonly number[];
  /** SHA-256 of the file's bytes, lower-case hex. */
  readonly sha256: string;
}

/**
 * `index.json`: what a saved index holds and how to check it. The data files are written first and this header
 * last, so a folder whose writing was cut short either has no header or one whose checksums fail.
 */
export interface IndexHeader {
  readonly format: typeof INDEX_FORMAT;
  readonly version: typeof INDEX_VERSION;
  readonly kind: 'exact' | 'ann';
  /** Items in the index. */
  readonly size: number;
  readonly embeddingDim: number;
  readonly createdAt: string;
  /** The fingerprint of the model whose embeddings these are (`BregmanModel.fingerprint()`). */
  readonly modelFingerprint: string;
  /** The sub-folder holding a copy of the model's files (`'model/'`), or null when saved without it. */
  readonly model: string | null;
  /** `embeddings.bin`: float32 [size, embeddingDim]. */
  readonly embeddings: ArrayFileEntry;
  /** `labels.bin`: int32 [size], or null for an index without labels. */
  readonly labels: ArrayFileEntry | null;
  /** The ANN index's own files (search/ann's `save(path)`: `path`, `path.json`, `path.items`) and its slot. */
  readonly ann: { readonly file: string; readonly querySlot: QuerySlot } | null;
  /**
   * What `fitTemperature` fitted on labelled validation rows, so a loaded index predicts with calibrated
   * probabilities: the centroid posterior's τ and the k-NN kernel's τ′, ε and k. Absent when never fitted (an index
   * saved that way stays readable by readers that predate this key).
   */
  readonly calibration?: IndexCalibration;
}

/** The fitted probability estimators of an index (see {@link IndexHeader.calibration}). */
export interface IndexCalibration {
  readonly temperature: number;
  readonly knn: { readonly temperature: number; readonly smoothing: number; readonly k: number };
}

/** What {@link writeIndexFiles} saves. */
export interface IndexFileData {
  readonly kind: 'exact' | 'ann';
  readonly embeddings: Float32Array;
  readonly labels: Int32Array | null;
  readonly embeddingDim: number;
  readonly modelFingerprint: string;
  readonly model: string | null;
  readonly ann: IndexHeader['ann'];
  readonly calibration?: IndexCalibration;
}

/** Writes `embeddings.bin`, `labels.bin` (with labels), then `index.json`. Internal. */
export async function writeIndexFiles(component: string, sink: ModelSink, data: IndexFileData): Promise<IndexHeader> {
  const size = data.embeddings.length / data.embeddingDim;
  const entry = async (file: string, values: Float32Array | Int32Array, shape: number[]): Promise<ArrayFileEntry> => {
    const bytes = littleEndianBytes(values);
    await writeFile(component, sink, file, bytes);
    return {
      file,
      dtype: values instanceof Float32Array ? 'float32' : 'int32',
      byteOrder: 'little',
      shape,
      sha256: await sha256Hex(component, bytes),
    };
  };
  const header: IndexHeader = {
    format: INDEX_FORMAT,
    version: INDEX_VERSION,
    kind: data.kind,
    size,
    embeddingDim: data.embeddingDim,
    createdAt: new Date().toISOString(),
    modelFingerprint: data.modelFingerprint,
    model: data.model,
    embeddings: await entry('embeddings.bin', data.embeddings, [size, data.embeddingDim]),
    labels: data.labels === null ? null : await entry('labels.bin', data.labels, [size]),
    ann: data.ann,
    ...(data.calibration ? { calibration: data.calibration } : {}),
  };
  await writeFile(component, sink, INDEX_HEADER, `${JSON.stringify(header, null, 2)}\n`);
  return header;
}

async function writeFile(component: string, sink: ModelSink, name: string, data: Uint8Array | string): Promise<void> {
  try {
    await sink.write(name, data);
  } catch (error) {
    if (isEmpiricalBregmanError(error)) throw error;
    throw new ModelError(component, 'IO', `expected to write ${name} to ${sink.description}, got ${String(error)}`, {
      cause: error,
    });
  }
}

/** Reads `index.json` alone, checked. Internal. */
export async function readIndexHeader(component: string, source: ModelSource): Promise<IndexHeader> {
  const { value } = await readRequiredJson(component, source, INDEX_HEADER, 'the index header');
  return parseIndexHeader(component, value);
}

/**
 * Reads the arrays a header names, checking their byte counts (`BAD_FORMAT`) and SHA-256 (`CHECKSUM_MISMATCH`).
 * Internal.
 */
export async function readIndexArrays(
  component: string,
  source: ModelSource,
  header: IndexHeader,
): Promise<{ embeddings: Float32Array; labels: Int32Array | null }> {
  const read = async (entry: ArrayFileEntry): Promise<Uint8Array> => {
    const bytes = await readRequiredBytes(component, source, entry.file, 'the index file');
    const expected = entry.shape.reduce((a, b) => a * b, 1) * 4;
    if (bytes.byteLength !== expected) {
      throw new ModelError(
        component,
        'BAD_FORMAT',
        `expected ${expected} bytes in ${entry.file} (${entry.dtype} [${entry.shape.join(', ')}]), got ${bytes.byteLength}`,
      );
    }
    const sha256 = await sha256Hex(component, bytes);
    if (sha256 !== entry.sha256) {
      throw new ModelError(
        component,
        'CHECKSUM_MISMATCH',
        `expected ${entry.file} in ${source.description} to have SHA-256 ${entry.sha256} (from ${INDEX_HEADER}), got ${sha256}`,
      );
    }
    return bytes;
  };
  const embeddings = float32FromLittleEndian(await read(header.embeddings));
  const labels = header.labels === null ? null : int32FromLittleEndian(await read(header.labels));
  if (labels !== null) {
    const negative = labels.findIndex((v) => v < 0);
    if (negative >= 0) {
      throw new ModelError(
        component,
        'BAD_FORMAT',
        `expected labels ≥ 0 in ${header.labels!.file}, got ${labels[negative]} at ${negative}`,
      );
    }
  }
  return { embeddings, labels };
}

const HEADER_KEYS = [
  'format',
  'version',
  'kind',
  'size',
  'embeddingDim',
  'createdAt',
  'modelFingerprint',
  'model',
  'embeddings',
  'labels',
  'ann',
];

function parseIndexHeader(component: string, value: unknown): IndexHeader {
  const bad = (what: string, got: unknown) =>
    new ModelError(component, 'BAD_FORMAT', `expected ${INDEX_HEADER} ${what}, got ${describeValue(got)}`);
  const keysOf = (path: string, v: unknown, keys: readonly string[]): Record<string, unknown> => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) throw bad(`${path} to be an object`, v);
    const record = v as Record<string, unknown>;
    const unknown = Object.keys(record).find((k) => !keys.includes(k));
    if (unknown !== undefined) throw bad(`${path} to hold only ${keys.join(', ')}`, `the key ${unknown}`);
    const missing = keys.find((k) => !(k in record));
    if (missing !== undefined) throw bad(`${path} to have ${missing}`, undefined);
    return record;
  };
  if (value === null || typeof value !== 'object' || (value as { format?: unknown }).format !== INDEX_FORMAT) {
    throw bad(`format to be ${JSON.stringify(INDEX_FORMAT)}`, (value as { format?: unknown } | null)?.format);
  }
  const version = (value as { version?: unknown }).version;
  if (version !== INDEX_VERSION) {
    throw new ModelError(
      component,
      typeof version === 'number' && Number.isInteger(version) ? 'UNSUPPORTED' : 'BAD_FORMAT',
      `expected ${INDEX_HEADER} version ${INDEX_VERSION} (the only version this @empirical-bregman/model reads), got ${describeValue(version)}`,
    );
  }
  // `calibration` is optional: checked for keys like the others when present.
  const { calibration: rawCalibration, ...required } = value as Record<string, unknown>;
  const h = keysOf('', required, HEADER_KEYS);
  if (h.kind !== 'exact' && h.kind !== 'ann') throw bad('kind to be "exact" or "ann"', h.kind);
  const positive = (name: string, v: unknown): number => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw bad(`${name} to be a positive integer`, v);
    return v;
  };
  const size = positive('size', h.size);
  const embeddingDim = positive('embeddingDim', h.embeddingDim);
  if (typeof h.createdAt !== 'string') throw bad('createdAt to be a string', h.createdAt);
  if (typeof h.modelFingerprint !== 'string' || !/^[0-9a-f]{64}$/.test(h.modelFingerprint)) {
    throw bad('modelFingerprint to be a SHA-256 in lower-case hex', h.modelFingerprint);
  }
  if (h.model !== null && (typeof h.model !== 'string' || !/^[^/]+\/$/.test(h.model))) {
    throw bad('model to be a sub-folder name ending in "/" or null', h.model);
  }
  const array = (name: string, v: unknown, dtype: 'float32' | 'int32', shape: number[]): ArrayFileEntry => {
    const e = keysOf(name, v, ['file', 'dtype', 'byteOrder', 'shape', 'sha256']);
    checkRelativeName(component, `${INDEX_HEADER} ${name}.file`, e.file);
    if (e.dtype !== dtype) throw bad(`${name}.dtype to be ${dtype}`, e.dtype);
    if (e.byteOrder !== 'little') throw bad(`${name}.byteOrder to be "little"`, e.byteOrder);
    if (!Array.isArray(e.shape) || e.shape.length !== shape.length || e.shape.some((s, i) => s !== shape[i])) {
      throw bad(`${name}.shape to be [${shape.join(', ')}]`, e.shape);
    }
    if (typeof e.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(e.sha256))
      throw bad(`${name}.sha256 to be hex`, e.sha256);
    return e as unknown as ArrayFileEntry;
  };
  const embeddings = array('embeddings', h.embeddings, 'float32', [size, embeddingDim]);
  const labels = h.labels === null ? null : array('labels', h.labels, 'int32', [size]);
  let ann: IndexHeader['ann'] = null;
  if (h.ann !== null) {
    const a = keysOf('ann', h.ann, ['file', 'querySlot']);
    checkRelativeName(component, `${INDEX_HEADER} ann.file`, a.file);
    if (a.querySlot !== 'left' && a.querySlot !== 'right')
      throw bad('ann.querySlot to be "left" or "right"', a.querySlot);
    ann = { file: a.file as string, querySlot: a.querySlot };
  }
  if ((h.kind === 'ann') !== (ann !== null)) throw bad('ann to be given exactly for kind "ann"', h.ann);
  let calibration: IndexCalibration | undefined;
  if (rawCalibration !== undefined) {
    const c = keysOf('calibration', rawCalibration, ['temperature', 'knn']);
    const k = keysOf('calibration.knn', c.knn, ['temperature', 'smoothing', 'k']);
    const positiveNumber = (name: string, v: unknown): number => {
      if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v)) throw bad(`${name} to be a number > 0`, v);
      return v;
    };
    if (typeof k.smoothing !== 'number' || !(k.smoothing >= 0) || !Number.isFinite(k.smoothing))
      throw bad('calibration.knn.smoothing to be a number ≥ 0', k.smoothing);
    calibration = {
      temperature: positiveNumber('calibration.temperature', c.temperature),
      knn: {
        temperature: positiveNumber('calibration.knn.temperature', k.temperature),
        smoothing: k.smoothing,
        k: positive('calibration.knn.k', k.k),
      },
    };
  }
  return {
    format: INDEX_FORMAT,
    version: INDEX_VERSION,
    kind: h.kind,
    size,
    embeddingDim,
    createdAt: h.createdAt,
    modelFingerprint: h.modelFingerprint,
    model: h.model as string | null,
    embeddings,
    labels,
    ann,
    ...(calibration ? { calibration } : {}),
  };
}
