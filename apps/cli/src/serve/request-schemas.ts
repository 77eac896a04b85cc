/**
 * The JSON schemas of the server's request bodies, built for one model and the server's limits, so Fastify's
 * validator (Ajv) refuses a wrong shape before any work: rows of another width than ∏ manifest.input.sampleShape,
 * more rows than `maxBatch`, a `k` outside 1…index size, unknown keys. Numbers are never coerced from strings.
 */

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
