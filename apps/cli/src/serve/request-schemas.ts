import { CliError } from '../cli-error';

/**
 * The JSON schemas of the server's request bodies, built for one model and the server's limits, so Fastify's
 * validator (Ajv) refuses a wrong shape before any work: rows of another width than ∏ manifest.input.sampleShape,
 * more rows than `maxBatch`, a `k` outside 1…index size, unknown keys. Numbers are never coerced from strings.
 */

/**
 * The media type of a request body that is a NumPy `.npy` array of rows ([n, …sampleShape] or [n, width]; float32,
 * float64 or integers up to 32 bits), for clients that would rather not format numbers as text (`np.save` into the
 * body); `k` and `slot` then go in the query string.
 */
export const NPY_MEDIA_TYPE = 'application/x-npy';

/** JSON, the default of every request and answer. */
export const JSON_MEDIA_TYPE = 'application/json';

/**
 * The media type of a /search answer as NumPy `.npz` (`Accept: application/x-npz`): arrays `indices` and `labels`
 * (int32) and `divergences` (float32), each [queries, k], read with `np.load(io.BytesIO(body))`. (/embed answers
 * `Accept: application/x-npy` with one float32 [rows, embeddingDim] array.)
 */
export const NPZ_MEDIA_TYPE = 'application/x-npz';

/** What the schemas depend on. */
export interface SchemaLimits {
  /** Values per row: ∏ manifest.input.sampleShape. */
  readonly width: number;
  /** Rows per request at most (--max-batch). */
  readonly maxBatch: number;
  /** Items in the index (k ≤ size), or 0 without one. */
  readonly indexSize: number;
}

function rows(limits: SchemaLimits) {
  return {
    type: 'array',
    minItems: 1,
    maxItems: limits.maxBatch,
    items: { type: 'array', minItems: limits.width, maxItems: limits.width, items: { type: 'number' } },
  } as const;
}

/** 1 ≤ k ≤ index size; without an index no upper bound, so the route answers 409 (no index) rather than 400. */
function k(limits: SchemaLimits) {
  return limits.indexSize > 0
    ? ({ type: 'integer', minimum: 1, maximum: limits.indexSize } as const)
    : ({ type: 'integer', minimum: 1 } as const);
}

/** `POST /embed` `{ inputs }`. */
export function embedBodySchema(limits: SchemaLimits) {
  return {
    type: 'object',
    required: ['inputs'],
    additionalProperties: false,
    properties: { inputs: rows(limits) },
  } as const;
}

/** `POST /search` `{ queries, k?, slot? }`. */
export function searchBodySchema(limits: SchemaLimits) {
  return {
    type: 'object',
    required: ['queries'],
    additionalProperties: false,
    properties: { queries: rows(limits), k: k(limits), slot: { type: 'string', enum: ['left', 'right'] } },
  } as const;
}

/** `POST /predict` `{ inputs, k? }`. */
export function predictBodySchema(limits: SchemaLimits) {
  return {
    type: 'object',
    required: ['inputs'],
    additionalProperties: false,
    properties: { inputs: rows(limits), k: k(limits) },
  } as const;
}

/**
 * The query string's `k` and `slot` (`/search?k=5&slot=right`, `/predict?k=5`), for bodies that cannot hold them (a
 * .npy array). Query values arrive as text and numbers are never coerced, so `k` is a string of digits here and
 * {@link kFromQuery} checks its range.
 */
export function queryParametersSchema(options: { slot: boolean }) {
  const k = { type: 'string', pattern: '^[0-9]{1,9}$' } as const;
  return {
    type: 'object',
    additionalProperties: false,
    properties: options.slot ? { k, slot: { type: 'string', enum: ['left', 'right'] } } : { k },
  } as const;
}

/** The query string's `k` as a number within the body schema's range (1…index size); out of range is a 400. */
export function kFromQuery(text: string | undefined, limits: SchemaLimits): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  const max = limits.indexSize > 0 ? limits.indexSize : Number.POSITIVE_INFINITY;
  if (value >= 1 && value <= max) return value;
  throw new CliError(
    'serve',
    'INVALID_ARGUMENT',
    `expected querystring/k to be an integer from 1 to ${limits.indexSize > 0 ? max : 'the index size'}, got ${text}`,
  );
}
