import { isEmpiricalBregmanError } from '@empirical-bregman/common';
import { checkFeatureValue } from '@empirical-bregman/datasets';
import accepts from 'accepts';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyRequest } from 'fastify';
import { encodeNpy } from '../io/npy';
import { samplesFromNpy } from '../io/npy-samples';
import { encodeNpz } from '../io/npz';
import { ComputeSlot, QueueFull } from './compute-slot';
import {
  JSON_MEDIA_TYPE,
  NPY_MEDIA_TYPE,
  NPZ_MEDIA_TYPE,
  type SchemaLimits,
  embedBodySchema,
  predictBodySchema,
  kFromQuery,
  queryParametersSchema,
  searchBodySchema,
} from './request-schemas';
import type { ServeEngine, ServedIndexInfo } from './serve-engine';

/** What {@link createServer} serves and its limits (the `bregman serve` flags). */
export interface ServerOptions {
  /**
   * The model work: `inProcessEngine(model, index)` or `startWorkerEngine(…)`. The server borrows it (the caller
   * disposes or closes it after `app.close()`). Without an index /search and /predict answer 409.
   */
  readonly engine: ServeEngine;
  /** Rows per request at most (--max-batch). */
  readonly maxBatch: number;
  /** Requests that may wait for the compute slot (--max-queue); one more is answered 503. */
  readonly maxQueue: number;
  /** Request bodies larger than this many bytes are answered 413 (--max-body). */
  readonly maxBody: number;
  /** Seconds in the Retry-After header of a 503 (default 1). */
  readonly retryAfterSeconds?: number;
  /** The compute slot (default: a new one of `maxQueue`); tests pass their own to hold it. */
  readonly slot?: ComputeSlot;
  /** Runs inside the slot before each model job (tests: hold a request in flight; see `bregman serve --test-hold-ms`). */
  readonly beforeCompute?: () => Promise<void>;
}

/** HTTP status of an error the request caused (a project error code), else undefined (a bug: 500). */
const STATUS_OF_CODE: Readonly<Record<string, number>> = {
  INVALID_ARGUMENT: 400,
  INVALID_SHAPE: 400,
  BAD_FORMAT: 400,
  NON_FINITE: 400,
  UNSUPPORTED: 400,
};

/** An error answered with `status` and a one-line message. */
class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The `bregman serve` HTTP API (JSON, or NumPy arrays both ways) over one model and an optional index, as a Fastify
 * instance that is not yet listening (tests call `app.inject()`; `listenServer` binds it). Model work runs in one
 * {@link ComputeSlot}.
 *
 * - `GET /health` → `{ ok: true }`; `GET /model` → `{ manifest, index: { kind, size, hasLabels, defaultSlot } | null }`
 * - `POST /embed` `{ inputs }` → `{ embeddings }`
 * - `POST /search` `{ queries, k?, slot? }` → `{ results: [{ indices, divergences, labels? }] }`
 * - `POST /predict` `{ inputs, k? }` → `{ classes, classNames, k, temperature, knnTemperature, predictions: [{ knn,
 *   centroid }] }` (knn: label, className, vote scores and kernel probabilities; centroid: label, className,
 *   divergences and the probabilities p(c | x) ∝ π_c · exp(−D / τ))
 *
 * Bodies are JSON or one `.npy` array (`application/x-npy`); by the `Accept` header /search answers `.npz` arrays
 * (`application/x-npz`) and /embed one `.npy` array instead of JSON.
 *
 * Errors are `{ error, message }` with 400 (shape, width, non-finite, batch too large), 406 (an Accept the route
 * cannot answer), 409 (no index / no labels), 413 (body over maxBody), 503 + Retry-After (queue full), 500 (a bug;
 * the message says so, the log has the stack).
 *
 * ```ts
 * const app = createServer({ engine: inProcessEngine(model, index), maxBatch: 256, maxQueue: 16, maxBody: 8 << 20 });
 * const reply = await app.inject({ method: 'POST', url: '/embed', payload: { inputs: [[1, 2, 3, 4]] } });
 * ```
 */
export function createServer(options: ServerOptions): FastifyInstance {
  const { engine } = options;
  const { manifest, index } = engine;
  const computeSlot = options.slot ?? new ComputeSlot(options.maxQueue);
  const { beforeCompute } = options;
  const slot = {
    run: <T>(job: () => Promise<T>): Promise<T> =>
      computeSlot.run(async () => {
        await beforeCompute?.();
        return job();
      }),
  };
  const width = manifest.input.sampleShape.reduce((a, b) => a * b, 1);
  const limits: SchemaLimits = { width, maxBatch: options.maxBatch, indexSize: index?.size ?? 0 };
  /** The request's rows as one float32 array: a JSON body's `field`, or the whole body when it is a .npy array. */
  const requestRows = (body: Buffer | Record<string, unknown>, field: string): Float32Array => {
    if (!Buffer.isBuffer(body)) return flatRows(body[field] as number[][], width, field);
    const { features, count } = samplesFromNpy(body, width, `body (${NPY_MEDIA_TYPE})`, 'serve');
    if (count > options.maxBatch)
      throw new HttpError(400, `serve: expected at most ${options.maxBatch} rows (--max-batch), got ${count}`);
    return features;
  };
  /** A JSON body's `k`/`slot`, else the query string's (a .npy body has no room for them); both at once is a 400. */
  const parameters = (
    body: Buffer | { k?: number; slot?: 'left' | 'right' },
    query: { k?: string; slot?: 'left' | 'right' },
  ): { k: number | undefined; slot: 'left' | 'right' | undefined } => {
    const inBody = Buffer.isBuffer(body) ? {} : body;
    for (const key of ['k', 'slot'] as const)
      if (inBody[key] !== undefined && query[key] !== undefined)
        throw new HttpError(400, `serve: expected ${key} in the body or in the query string, got both`);
    const k = kFromQuery(query.k, limits);
    return { k: inBody.k ?? k, slot: inBody.slot ?? query.slot };
  };
  /** A class label's name: the manifest's, or the number for a class the model never saw. */
  const labelName = (label: number) => manifest.labels.names[label] ?? String(label);
  const app = Fastify({
    logger: false,
    bodyLimit: options.maxBody,
    // Numbers stay numbers: no "1" → 1, no silently dropped keys (additionalProperties: false refuses them).
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: false } },
  });

  // Rows as a NumPy array: no number parsing at all (JSON.parse of 64 rows of 16 float32 values costs about as much
  // as an exact search of them); k and slot then come in the query string.
  app.addContentTypeParser(NPY_MEDIA_TYPE, { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  // JSON and .npy only: a text/plain body would reach the routes unchecked (415 instead).
  app.removeContentTypeParser('text/plain');

  // Graceful close: Fastify stops accepting and closes idle connections, but a keep-alive connection whose request is
  // still running would stay open after its answer (and close() wait for its timeout): answers sent while closing
  // close their connection.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (_request, reply, payload) => {
    if (closing) void reply.header('connection', 'close');
    return payload;
  });

  app.setErrorHandler((error: FastifyError | HttpError | QueueFull, request, reply) => {
    if (error instanceof QueueFull) {
      void reply
        .code(503)
        .header('retry-after', String(options.retryAfterSeconds ?? 1))
        .send({ error: 'Service Unavailable', message: `serve: ${error.message}` });
      return;
    }
    if (error instanceof HttpError) {
      void reply.code(error.statusCode).send({ error: reasonOf(error.statusCode), message: error.message });
      return;
    }
    if (isEmpiricalBregmanError(error) && STATUS_OF_CODE[error.code]) {
      const status = STATUS_OF_CODE[error.code]!;
      void reply.code(status).send({ error: reasonOf(status), message: oneLine(error.message) });
      return;
    }
    if ('code' in error && error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      const got = request.headers['content-type'] ?? 'no content type';
      void reply.code(415).send({
        error: reasonOf(415),
        message: `serve: expected a body of type application/json or ${NPY_MEDIA_TYPE}, got ${oneLine(got)}`,
      });
      return;
    }
    const status = 'statusCode' in error ? (error.statusCode ?? 500) : 500;
    if (status >= 400 && status < 500) {
      // Fastify's own: validation (FST_ERR_VALIDATION), a body too large (413), bad JSON, a wrong content type.
      void reply.code(status).send({ error: reasonOf(status), message: oneLine(error.message) });
      return;
    }
    process.stderr.write(`bregman serve: internal error (a bug; please report it):\n${error.stack ?? error}\n`);
    void reply
      .code(500)
      .send({ error: 'Internal Server Error', message: 'serve: internal error (a bug; see the server log)' });
  });
  app.setNotFoundHandler((request, reply) => {
    void reply
      .code(404)
      .send({ error: 'Not Found', message: `serve: no route ${request.method} ${request.url.split('?')[0]}` });
  });

  app.get('/health', async (_request, reply) => {
    if (engine.alive) return { ok: true };
    // A server that cannot compute must not look healthy to whatever supervises it.
    return reply
      .code(503)
      .send({ ok: false, error: 'Service Unavailable', message: 'serve: the compute thread stopped' });
  });
  app.get('/model', async () => ({
    manifest,
    index,
  }));

  app.post<{ Body: Buffer | { inputs: number[][] } }>(
    '/embed',
    { schema: { body: bodySchemas(embedBodySchema(limits)) } },
    async (request, reply) => {
      const answer = answerType(request, [JSON_MEDIA_TYPE, NPY_MEDIA_TYPE]);
      // The same URL answers JSON or .npy by Accept: caches must key on it.
      void reply.header('vary', 'Accept');
      const inputs = requestRows(request.body, 'inputs');
      const flat = await slot.run(() => engine.embed(inputs));
      const d = manifest.embeddingDim;
      if (answer === NPY_MEDIA_TYPE)
        return reply.type(NPY_MEDIA_TYPE).send(asBuffer(encodeNpy(flat, [flat.length / d, d])));
      return { embeddings: rowsOf(flat, d) };
    },
  );

  app.post<{
    Body: Buffer | { queries: number[][]; k?: number; slot?: 'left' | 'right' };
    Querystring: { k?: string; slot?: 'left' | 'right' };
  }>(
    '/search',
    { schema: { body: bodySchemas(searchBodySchema(limits)), querystring: queryParametersSchema({ slot: true }) } },
    async (request, reply) => {
      const chosen = requireIndex(index, 'search');
      const answer = answerType(request, [JSON_MEDIA_TYPE, NPZ_MEDIA_TYPE]);
      void reply.header('vary', 'Accept');
      const queries = requestRows(request.body, 'queries');
      const asked = parameters(request.body, request.query);
      const k = asked.k ?? Math.min(10, chosen.size);
      const result = await slot.run(() => engine.search(queries, { k, slot: asked.slot }));
      if (answer === NPZ_MEDIA_TYPE) {
        // The JSON answer's three lists per query as three [queries, k] arrays (np.load(io.BytesIO(body))).
        const shape = [result.numQueries, result.k];
        const arrays = {
          indices: { values: result.indices, shape },
          divergences: { values: result.divergences, shape },
          ...(result.labels && { labels: { values: result.labels, shape } }),
        };
        return reply.type(NPZ_MEDIA_TYPE).send(asBuffer(encodeNpz(arrays)));
      }
      return {
        results: Array.from({ length: result.numQueries }, (_, i) => {
          const span = [i * result.k, (i + 1) * result.k] as const;
          return {
            indices: Array.from(result.indices.subarray(...span)),
            divergences: Array.from(result.divergences.subarray(...span)),
            ...(result.labels && { labels: Array.from(result.labels.subarray(...span)) }),
          };
        }),
      };
    },
  );

  app.post<{ Body: Buffer | { inputs: number[][]; k?: number }; Querystring: { k?: string } }>(
    '/predict',
    { schema: { body: bodySchemas(predictBodySchema(limits)), querystring: queryParametersSchema({ slot: false }) } },
    async (request) => {
      const chosen = requireIndex(index, 'predict');
      if (!chosen.hasLabels)
        throw new HttpError(409, 'serve: expected an index with labels for /predict, got one saved without labels');
      answerType(request, [JSON_MEDIA_TYPE]);
      const inputs = requestRows(request.body, 'inputs');
      const { k } = parameters(request.body, request.query);
      const p = await slot.run(() => engine.predict(inputs, { k }));
      const c = p.classes.length;
      return {
        classes: Array.from(p.classes),
        classNames: p.classNames,
        k: p.knn.k,
        temperature: p.centroid.temperature,
        knnTemperature: p.knn.temperature,
        // Whether τ and the kernel are the ones fitted on labelled rows (index.fitTemperature, saved with the index):
        // unfitted probabilities are not calibrated.
        fitted: { centroid: p.centroid.fitted, knn: p.knn.fitted },
        predictions: Array.from({ length: p.numRows }, (_, i) => {
          const knnLabel = p.knn.labels[i]!;
          const centroidLabel = p.centroid.labels[i]!;
          return {
            knn: {
              label: knnLabel,
              className: labelName(knnLabel),
              scores: Array.from(p.knn.scores.subarray(i * c, (i + 1) * c)),
              probabilities: Array.from(p.knn.probabilities.subarray(i * c, (i + 1) * c)),
            },
            centroid: {
              label: centroidLabel,
              className: labelName(centroidLabel),
              divergences: Array.from(p.centroid.divergences.subarray(i * c, (i + 1) * c)),
              probabilities: Array.from(p.centroid.probabilities.subarray(i * c, (i + 1) * c)),
            },
          };
        }),
      };
    },
  );
  return app;
}

/**
 * The answer's media type: the first of `offered` (the route's own order, JSON first) that the request's `Accept`
 * header takes, by its q-values; no `Accept` takes JSON. None taken is a 406 naming what the route offers.
 */
function answerType(request: FastifyRequest, offered: readonly string[]): string {
  const accept = rangesWithoutParameters(request.headers.accept);
  if (accept === null) return offered[0]!;
  // Given a list, accepts answers one of its entries or false (its types allow a list for the no-argument call).
  const chosen = accepts({ headers: { accept } } as Parameters<typeof accepts>[0]).type([...offered]) as string | false;
  if (chosen === false)
    throw new HttpError(
      406,
      `serve: expected an Accept header that takes ${offered.join(' or ')} for ${request.url.split('?')[0]}, got ${oneLine(request.headers.accept ?? '')}`,
    );
  return chosen;
}

/**
 * An Accept header's media ranges with their q-values only, or null when it names none (absent, empty, or no range
 * with a "/": malformed headers are ignored, as RFC 9110 allows). Why: the negotiator matches other parameters
 * exactly, so `application/json; charset=utf-8`, which many clients send, would match nothing and get a 406.
 */
function rangesWithoutParameters(header: string | undefined): string | null {
  const ranges = (header ?? '')
    .split(',')
    .map((range) => {
      const [type, ...parameters] = range.split(';').map((part) => part.trim());
      const q = parameters.find((p) => /^q\s*=/i.test(p));
      return type?.includes('/') ? (q ? `${type};${q}` : type) : null;
    })
    .filter((range): range is string => range !== null);
  return ranges.length > 0 ? ranges.join(', ') : null;
}

/** The bytes as a Buffer without a copy (Fastify sends a Buffer as it is). */
function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** A JSON body is checked by its schema; a .npy body by `samplesFromNpy` (its shape, dtype and values). */
function bodySchemas(json: object) {
  return {
    content: { [JSON_MEDIA_TYPE]: { schema: json }, [NPY_MEDIA_TYPE]: { schema: {} } },
  };
}

function requireIndex(index: ServedIndexInfo | null, route: string): ServedIndexInfo {
  if (!index)
    throw new HttpError(
      409,
      `serve: expected an index for /${route}, got none: start the server with --index DIR (a folder written by index.save)`,
    );
  return index;
}

/**
 * The rows (already checked for shape by the schema) as one float32 array. A number that JSON allows but float32
 * does not hold (1e39 → +∞; JSON itself has no NaN or Infinity) is a 400 naming its place.
 *
 * Why copy first and check after: the schema already proved every value a JSON number, so the only way a value can
 * fail is to overflow float32, which one scan of the copy finds. Checking each value through `checkFeatureValue`
 * (an object and a try per value) cost more than the search itself at batch 1; it still writes the message.
 */
const FLOAT32_MAX = 3.4028234663852886e38;

function flatRows(rows: readonly number[][], width: number, field: string): Float32Array {
  const flat = new Float32Array(rows.length * width);
  for (let i = 0; i < rows.length; i++) flat.set(rows[i]!, i * width);
  for (let at = 0; at < flat.length; at++) {
    // ±FLOAT32_MAX may be a larger number rounded down: let the rule decide.
    if (Number.isFinite(flat[at]!) && Math.abs(flat[at]!) !== FLOAT32_MAX) continue;
    const row = Math.floor(at / width);
    const column = at % width;
    try {
      // The one rule for feature values (datasets' checkFeatureValue, as embed's file reader applies it).
      checkFeatureValue(rows[row]![column], { source: `body/${field}`, row: row + 1, column: column + 1 }, 'serve');
    } catch (error) {
      throw new HttpError(400, (error as Error).message);
    }
  }
  return flat;
}

/** [n · d] row-major → n rows of d numbers (float32 values are exact as JSON numbers). */
function rowsOf(flat: Float32Array, d: number): number[][] {
  return Array.from({ length: flat.length / d }, (_, i) => Array.from(flat.subarray(i * d, (i + 1) * d)));
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

function reasonOf(status: number): string {
  const reasons: Record<number, string> = {
    400: 'Bad Request',
    404: 'Not Found',
    406: 'Not Acceptable',
    409: 'Conflict',
    413: 'Payload Too Large',
    415: 'Unsupported Media Type',
    503: 'Service Unavailable',
  };
  return reasons[status] ?? 'Error';
}
