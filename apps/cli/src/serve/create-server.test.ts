import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BregmanModel, BregmanModelIndex } from '@empirical-bregman/model';
import { loadModel } from '@empirical-bregman/model/node';
import { initBackend } from '@empirical-bregman/runtime';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseNpy } from '@empirical-bregman/datasets';
import { parseNpz } from '@empirical-bregman/datasets/node';
import { encodeNpy } from '../io/npy';
import { ComputeSlot } from './compute-slot';
import { createServer } from './create-server';
import { inProcessEngine } from './serve-engine';
import { tableRows, trainTinyTableModel } from './serve-test-model';

// The server in process (app.inject): answers equal the model API's own, and every refusal is a status and one line.
const root = mkdtempSync(join(tmpdir(), 'eb-serve-'));
let model: BregmanModel;
let index: BregmanModelIndex;
let unlabelled: BregmanModelIndex;
let app: FastifyInstance;
const LIMITS = { maxBatch: 8, maxQueue: 2, maxBody: 4096 };
const items = tableRows(60, 7);
const queries = tableRows(5, 8).rows;

beforeAll(async () => {
  await initBackend({ quiet: true });
  model = await loadModel(await trainTinyTableModel(root));
  unlabelled = await model.index(items.rows);
  index = await model.index(items.rows, items.labels);
  app = createServer({ engine: inProcessEngine(model, index), ...LIMITS });
}, 120_000);
afterAll(async () => {
  await app?.close();
  index?.dispose();
  unlabelled?.dispose();
  model?.dispose();
  rmSync(root, { recursive: true, force: true });
});

const post = (url: string, payload: unknown, server = app) =>
  server.inject({ method: 'POST', url, payload: payload as object });
/** Rows as a float32 .npy body (`application/x-npy`). */
const postNpy = (url: string, rows: readonly number[][], server = app) =>
  server.inject({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/x-npy' },
    payload: Buffer.from(encodeNpy(Float32Array.from(rows.flat()), [rows.length, rows[0]!.length])),
  });

describe('bregman serve: answers', () => {
  it('GET /health and /model (the manifest and the index)', async () => {
    expect((await app.inject({ url: '/health' })).json()).toEqual({ ok: true });
    const info = (await app.inject({ url: '/model' })).json();
    expect(info.manifest).toEqual(JSON.parse(JSON.stringify(model.manifest)));
    expect(info.index).toEqual({ kind: 'exact', size: 60, hasLabels: true, defaultSlot: model.querySlot });
  });

  it('/embed equals model.embedArray', async () => {
    const reply = await post('/embed', { inputs: queries });
    expect(reply.statusCode).toBe(200);
    const expected = await model.embedArray(queries);
    const d = model.embeddingDim;
    expect(reply.json().embeddings).toEqual(queries.map((_, i) => Array.from(expected.subarray(i * d, (i + 1) * d))));
  });

  it('/search returns exactly the neighbours, divergences and labels of index.search, in both slots', async () => {
    for (const slot of ['left', 'right'] as const) {
      const reply = await post('/search', { queries, k: 7, slot });
      expect(reply.statusCode, reply.body).toBe(200);
      const ref = await index.search(queries, { k: 7, slot });
      expect(reply.json().results).toEqual(
        queries.map((_, i) => ({
          indices: Array.from(ref.indices.subarray(i * 7, i * 7 + 7)),
          divergences: Array.from(ref.divergences.subarray(i * 7, i * 7 + 7)),
          labels: Array.from(ref.labels!.subarray(i * 7, i * 7 + 7)),
        })),
      );
    }
    const byDefault = (await post('/search', { queries })).json().results;
    expect(byDefault[0].indices).toHaveLength(10);
  });

  it('/predict gives the k-NN and centroid predictions of index.predict with class names', async () => {
    const reply = await post('/predict', { inputs: queries, k: 5 });
    expect(reply.statusCode, reply.body).toBe(200);
    const ref = await index.predict(queries, { k: 5 });
    const body = reply.json();
    expect(body.classNames).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(body.predictions).toHaveLength(queries.length);
    expect(body.temperature).toBe(ref.centroid.temperature);
    const c = ref.classes.length;
    body.predictions.forEach(
      (
        p: {
          knn: { label: number; className: string; probabilities: number[] };
          centroid: { label: number; probabilities: number[] };
        },
        i: number,
      ) => {
        expect(p.knn.label).toBe(ref.knn.labels[i]);
        expect(p.knn.className).toBe(model.labelName(ref.knn.labels[i]!));
        expect(p.centroid.label).toBe(ref.centroid.labels[i]);
        expect(p.centroid.probabilities).toEqual(Array.from(ref.centroid.probabilities.subarray(i * c, (i + 1) * c)));
        expect(p.knn.probabilities).toEqual(Array.from(ref.knn.probabilities.subarray(i * c, (i + 1) * c)));
      },
    );
  });
});

describe('bregman serve: .npy bodies (application/x-npy), k and slot in the query string', () => {
  it('answer exactly as the same rows in JSON on /embed, /search (both slots) and /predict', async () => {
    expect((await postNpy('/embed', queries)).json()).toEqual((await post('/embed', { inputs: queries })).json());
    for (const slot of ['left', 'right'] as const) {
      const npy = await postNpy(`/search?k=7&slot=${slot}`, queries);
      expect(npy.statusCode, npy.body).toBe(200);
      expect(npy.json()).toEqual((await post('/search', { queries, k: 7, slot })).json());
    }
    // Without k and slot: the JSON defaults.
    expect((await postNpy('/search', queries)).json()).toEqual((await post('/search', { queries })).json());
    const predict = await postNpy('/predict?k=5', queries);
    expect(predict.statusCode, predict.body).toBe(200);
    expect(predict.json()).toEqual((await post('/predict', { inputs: queries, k: 5 })).json());
    // A JSON body may take k and slot from the query string too.
    expect((await post('/search?k=7&slot=right', { queries })).json()).toEqual(
      (await post('/search', { queries, k: 7, slot: 'right' })).json(),
    );
  });

  const bad: Array<[string, () => ReturnType<typeof post>, RegExp]> = [
    [
      'rows of another width',
      () => postNpy('/search', [[1, 2, 3]]),
      /^serve: expected samples of 4 values each in body \(application\/x-npy\), got an array of shape \[1, 3\] \(3 per sample\)$/,
    ],
    [
      'more rows than --max-batch',
      () =>
        postNpy(
          '/embed',
          Array.from({ length: 9 }, () => [1, 2, 3, 4]),
        ),
      /at most 8 rows/,
    ],
    [
      'NaN',
      () =>
        postNpy('/embed', [
          [1, 2, 3, 4],
          [1, Number.NaN, 3, 4],
        ]),
      /^serve: body \(application\/x-npy\): expected a finite number, got NaN at row 2, column 2$/,
    ],
    [
      'not a .npy',
      () =>
        app.inject({
          method: 'POST',
          url: '/embed',
          headers: { 'content-type': 'application/x-npy' },
          payload: 'hello',
        }),
      /expected a \.npy file starting with 93 4e 55 4d 50 59/,
    ],
    [
      'k = 0 in the query',
      () => postNpy('/search?k=0', queries),
      /querystring\/k to be an integer from 1 to 60, got 0/,
    ],
    ['k > size in the query', () => postNpy('/search?k=61', queries), /from 1 to 60, got 61/],
    ['k not digits', () => postNpy('/search?k=1.5', queries), /querystring\/k must match pattern/],
    [
      'a bad slot',
      () => postNpy('/search?slot=up', queries),
      /querystring\/slot must be equal to one of the allowed values/,
    ],
    [
      'slot on /predict',
      () => postNpy('/predict?slot=left', queries),
      /querystring must NOT have additional properties/,
    ],
    [
      'k twice',
      () => post('/search?k=3', { queries, k: 3 }),
      /^serve: expected k in the body or in the query string, got both$/,
    ],
  ];
  for (const [what, send, message] of bad) {
    it(`400: ${what}`, async () => {
      const reply = await send();
      expect(reply.statusCode, reply.body).toBe(400);
      expect(reply.json().message).toMatch(message);
    });
  }

  it('413: a .npy body over --max-body', async () => {
    const reply = await postNpy(
      '/embed',
      Array.from({ length: 300 }, () => [1, 2, 3, 4]),
    );
    expect(reply.statusCode).toBe(413);
  });
});

describe('bregman serve: binary answers (Accept: application/x-npz on /search, application/x-npy on /embed)', () => {
  const accept = (type: string) => ({ accept: type });
  /** The arrays of an .npz answer (the datasets package's reader: zip directory, CRC-32, .npy headers). */
  const npzArrays = (body: Buffer) =>
    Object.fromEntries(
      [...parseNpz(body, 'answer')].map(([name, a]) => [
        name,
        { shape: a.shape, values: Array.from(a.data as ArrayLike<number>) },
      ]),
    );

  it('/search as .npz: indices, divergences and labels [queries, k], the same values as the JSON answer', async () => {
    for (const send of [
      () =>
        app.inject({
          method: 'POST',
          url: '/search',
          headers: accept('application/x-npz'),
          payload: { queries, k: 7 },
        }),
      () =>
        app.inject({
          method: 'POST',
          url: '/search?k=7',
          headers: { ...accept('application/x-npz'), 'content-type': 'application/x-npy' },
          payload: Buffer.from(encodeNpy(Float32Array.from(queries.flat()), [queries.length, 4])),
        }),
    ]) {
      const reply = await send();
      expect(reply.statusCode, reply.body).toBe(200);
      expect(reply.headers['content-type']).toBe('application/x-npz');
      const arrays = npzArrays(reply.rawPayload);
      const json = (await post('/search', { queries, k: 7 })).json().results as Record<string, number[]>[];
      expect(Object.keys(arrays).sort()).toEqual(['divergences', 'indices', 'labels']);
      for (const name of ['indices', 'divergences', 'labels']) {
        expect(arrays[name]!.shape).toEqual([queries.length, 7]);
        expect(arrays[name]!.values).toEqual(json.flatMap((r) => r[name]!));
      }
    }
    // An index without labels has no labels array.
    const plain = createServer({ engine: inProcessEngine(model, unlabelled), ...LIMITS });
    const reply = await plain.inject({
      method: 'POST',
      url: '/search',
      headers: accept('application/x-npz'),
      payload: { queries },
    });
    expect(Object.keys(npzArrays(reply.rawPayload)).sort()).toEqual(['divergences', 'indices']);
    await plain.close();
  });

  it('/embed as .npy: one float32 [rows, embeddingDim] array equal to model.embedArray', async () => {
    const reply = await app.inject({
      method: 'POST',
      url: '/embed',
      headers: accept('application/x-npy'),
      payload: { inputs: queries },
    });
    expect(reply.statusCode, reply.body).toBe(200);
    expect(reply.headers['content-type']).toBe('application/x-npy');
    const array = parseNpy(reply.rawPayload, 'answer');
    expect(array.dtype).toBe('float32');
    expect(array.shape).toEqual([queries.length, model.embeddingDim]);
    expect(Array.from(array.data as Float32Array)).toEqual(Array.from(await model.embedArray(queries)));
  });

  it('JSON unless the Accept header prefers the binary type (q-values), and 406 naming the offered types', async () => {
    const search = (type: string) =>
      app.inject({ method: 'POST', url: '/search', headers: accept(type), payload: { queries } });
    // Parameters other than q are ignored (clients send charset); a header naming no media range is ignored too.
    for (const type of [
      '*/*',
      'application/json',
      'application/x-npz;q=0.5, application/json',
      'application/*',
      'application/json; charset=utf-8',
      'garbage',
      '',
    ])
      expect((await search(type)).headers['content-type'], type).toMatch(/^application\/json/);
    expect((await search('application/x-npz; version=1')).headers['content-type']).toBe('application/x-npz');
    // The answer depends on Accept: a cache must key on it.
    expect((await search('*/*')).headers.vary).toBe('Accept');
    expect((await search('application/json;q=0.1, application/x-npz')).headers['content-type']).toBe(
      'application/x-npz',
    );
    const refused: Array<[string, string, RegExp]> = [
      [
        '/search',
        'text/html',
        /^serve: expected an Accept header that takes application\/json or application\/x-npz for \/search, got text\/html$/,
      ],
      [
        '/embed',
        'application/x-npz',
        /takes application\/json or application\/x-npy for \/embed, got application\/x-npz$/,
      ],
      ['/predict', 'application/x-npz', /takes application\/json for \/predict, got application\/x-npz$/],
    ];
    for (const [url, type, message] of refused) {
      const payload = url === '/search' ? { queries } : { inputs: queries };
      const reply = await app.inject({ method: 'POST', url, headers: accept(type), payload });
      expect(reply.statusCode, url).toBe(406);
      expect(reply.json()).toEqual({ error: 'Not Acceptable', message: expect.stringMatching(message) });
    }
  });
});

describe('bregman serve: refusals (the server keeps answering)', () => {
  const width = (n: number) => Array.from({ length: n }, () => 1);
  const bad: Array<[string, string, unknown, RegExp]> = [
    ['no inputs', '/embed', {}, /must have required property 'inputs'/],
    ['inputs not an array', '/embed', { inputs: 'x' }, /body\/inputs must be array/],
    ['no rows', '/embed', { inputs: [] }, /fewer than 1 items/],
    ['a row too short', '/embed', { inputs: [width(4), width(3)] }, /body\/inputs\/1 must NOT have fewer than 4 items/],
    ['a row too long', '/search', { queries: [width(5)] }, /body\/queries\/0 must NOT have more than 4 items/],
    ['a string for a number', '/embed', { inputs: [[1, '2', 3, 4]] }, /body\/inputs\/0\/1 must be number/],
    ['null for a number', '/embed', { inputs: [[1, null, 3, 4]] }, /must be number/],
    ['too many rows', '/embed', { inputs: Array.from({ length: 9 }, () => width(4)) }, /more than 8 items/],
    ['k = 0', '/search', { queries: [width(4)], k: 0 }, /body\/k must be >= 1/],
    ['k > size', '/search', { queries: [width(4)], k: 61 }, /body\/k must be <= 60/],
    ['k fractional', '/predict', { inputs: [width(4)], k: 1.5 }, /body\/k must be integer/],
    [
      'a bad slot',
      '/search',
      { queries: [width(4)], slot: 'up' },
      /body\/slot must be equal to one of the allowed values/,
    ],
    ['an unknown key', '/embed', { inputs: [width(4)], batch: 3 }, /must NOT have additional properties/],
  ];
  for (const [what, url, payload, message] of bad) {
    it(`400: ${what}`, async () => {
      const reply = await post(url, payload);
      expect(reply.statusCode).toBe(400);
      expect(reply.json().message).toMatch(message);
      expect(reply.json().message).not.toContain('\n');
    });
  }

  it('400: a number beyond float32 (1e39) and malformed JSON (NaN), a text body; 404', async () => {
    const huge = await app.inject({
      method: 'POST',
      url: '/embed',
      headers: { 'content-type': 'application/json' },
      payload: '{"inputs":[[1,2,1e39,4]]}',
    });
    expect(huge.statusCode).toBe(400);
    expect(huge.json().message).toMatch(
      /^serve: body\/inputs: expected a value within float32's range \(±3\.4e38\), got 1e\+39 at row 1, column 3$/,
    );
    const nan = await app.inject({
      method: 'POST',
      url: '/embed',
      headers: { 'content-type': 'application/json' },
      payload: '{"inputs":[[1,NaN,3,4]]}',
    });
    expect(nan.statusCode).toBe(400);
    const text = await app.inject({
      method: 'POST',
      url: '/embed',
      headers: { 'content-type': 'text/plain' },
      payload: 'hi',
    });
    expect(text.statusCode).toBe(415); // JSON and .npy only
    expect(text.json().message).toBe(
      'serve: expected a body of type application/json or application/x-npy, got text/plain',
    );
    expect((await app.inject({ url: '/nothing' })).statusCode).toBe(404);
  });

  it('413: a body over --max-body', async () => {
    const reply = await post('/embed', {
      inputs: Array.from({ length: 8 }, () => Array(4).fill(0.123456789012345)),
      pad: 'x'.repeat(4096),
    });
    expect(reply.statusCode).toBe(413);
    expect(reply.json().message).not.toContain('\n');
  });

  it('409: /search and /predict without an index; /predict on an index without labels', async () => {
    const bare = createServer({ engine: inProcessEngine(model, null), ...LIMITS });
    const search = await post('/search', { queries: [[1, 2, 3, 4]], k: 5 }, bare);
    expect(search.statusCode).toBe(409);
    expect(search.json().message).toMatch(/--index DIR/);
    expect((await post('/predict', { inputs: [[1, 2, 3, 4]] }, bare)).statusCode).toBe(409);
    expect((await post('/embed', { inputs: [[1, 2, 3, 4]] }, bare)).statusCode).toBe(200);
    await bare.close();
    const noLabels = createServer({ engine: inProcessEngine(model, unlabelled), ...LIMITS });
    const predict = await post('/predict', { inputs: [[1, 2, 3, 4]] }, noLabels);
    expect(predict.statusCode).toBe(409);
    expect(predict.json().message).toMatch(/labels/);
    const search2 = (await post('/search', { queries: [[1, 2, 3, 4]], k: 3 }, noLabels)).json();
    expect(search2.results[0]).not.toHaveProperty('labels');
    await noLabels.close();
  });

  it('503 + Retry-After when --max-queue requests already wait; the waiting ones are answered once the slot frees', async () => {
    const slot = new ComputeSlot(2);
    const held = createServer({ engine: inProcessEngine(model, index), ...LIMITS, slot });
    const release = await slot.hold();
    const waiting = [post('/search', { queries, k: 3 }, held), post('/embed', { inputs: queries }, held)];
    await expect.poll(() => slot.waiting).toBe(2);
    const refused = await post('/search', { queries, k: 3 }, held);
    expect(refused.statusCode).toBe(503);
    expect(refused.headers['retry-after']).toBe('1');
    expect(refused.json().message).toMatch(/2 requests already waiting/);
    expect((await held.inject({ url: '/health' })).statusCode).toBe(200); // no compute: never queued
    release();
    expect((await Promise.all(waiting)).map((r) => r.statusCode)).toEqual([200, 200]);
    expect(slot.running).toBe(false);
    await held.close();
  });

  it('still answers after all of the above', async () => {
    expect((await post('/search', { queries: [[1, 2, 3, 4]], k: 1 })).statusCode).toBe(200);
  });
});
