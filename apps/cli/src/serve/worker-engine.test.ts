import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BregmanModel, BregmanModelIndex } from '@empirical-bregman/model';
import { loadModel } from '@empirical-bregman/model/node';
import { initBackend } from '@empirical-bregman/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from './create-server';
import { inProcessEngine } from './serve-engine';
import { tableRows, trainTinyTableModel } from './serve-test-model';
import { type WorkerEngine, startWorkerEngine } from './worker-engine';

// The compute thread of `bregman serve` (the built dist/serve-worker.js) answers exactly as the model API in this
// thread: embeddings, search results and predictions with their typed arrays, errors with their code; it reports
// itself dead once closed, and /health says so.
const root = mkdtempSync(join(tmpdir(), 'eb-worker-engine-'));
const indexDir = join(root, 'index');
const queries = tableRows(6, 11).rows;
const flat = () => Float32Array.from(queries.flat());
let modelDir: string;
let model: BregmanModel;
let index: BregmanModelIndex;
let engine: WorkerEngine;

beforeAll(async () => {
  await initBackend({ quiet: true });
  modelDir = await trainTinyTableModel(root);
  model = await loadModel(modelDir);
  const items = tableRows(60, 5);
  index = await model.index(items.rows, items.labels);
  await index.fitTemperature(tableRows(15, 6).rows, tableRows(15, 6).labels, { k: 5 });
  await index.save(indexDir);
  engine = await startWorkerEngine({ modelDir, indexDir, quiet: true });
}, 180_000);
afterAll(async () => {
  await engine?.close();
  index?.dispose();
  model?.dispose();
  rmSync(root, { recursive: true, force: true });
});

describe('startWorkerEngine', () => {
  it('embeds, searches and predicts as the model API does in this thread', async () => {
    expect(engine.alive).toBe(true);
    expect(engine.index).toEqual({ kind: 'exact', size: 60, hasLabels: true, defaultSlot: index.defaultSlot });
    expect(Array.from(await engine.embed(flat()))).toEqual(Array.from(await model.embedArray(flat())));
    const found = await engine.search(flat(), { k: 4 });
    const here = await index.search(flat(), { k: 4 });
    expect(Array.from(found.indices)).toEqual(Array.from(here.indices));
    expect(Array.from(found.divergences)).toEqual(Array.from(here.divergences));
    expect(Array.from(found.labels!)).toEqual(Array.from(here.labels!));
    // The calibration saved with the index is used on the thread too.
    const predicted = await engine.predict(flat(), {});
    const local = await index.predict(flat());
    expect(predicted.centroid.fitted && predicted.knn.fitted).toBe(true);
    expect(Array.from(predicted.centroid.probabilities)).toEqual(Array.from(local.centroid.probabilities));
    expect(Array.from(predicted.knn.probabilities)).toEqual(Array.from(local.knn.probabilities));
    expect(Array.from(predicted.knn.labels)).toEqual(Array.from(local.knn.labels));
  });

  it('a view into a larger buffer is copied, not detached; the caller’s own array is handed over', async () => {
    const big = new Float32Array(flat().length + 8);
    big.set(flat(), 4);
    const view = big.subarray(4, 4 + flat().length);
    await engine.embed(view);
    expect(big.byteLength).toBe((flat().length + 8) * 4);
    const own = flat();
    await engine.embed(own);
    expect(own.byteLength).toBe(0);
  });

  it('an error on the thread comes back with its code (the server answers 400 for it)', async () => {
    await expect(engine.search(flat(), { k: 61 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    const app = createServer({ engine, maxBatch: 8, maxQueue: 2, maxBody: 1 << 16 });
    const reply = await app.inject({ method: 'POST', url: '/search', payload: { queries, k: 61 } });
    // The schema caps k at the index size before the thread is asked.
    expect(reply.statusCode).toBe(400);
    await app.close();
  });

  it('once closed it is not alive, refuses work, and /health answers 503', async () => {
    const other = await startWorkerEngine({ modelDir, indexDir, quiet: true });
    const app = createServer({ engine: other, maxBatch: 8, maxQueue: 2, maxBody: 1 << 16 });
    expect((await app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
    await other.close();
    expect(other.alive).toBe(false);
    await expect(other.embed(flat())).rejects.toThrow(/compute thread was closed/);
    const health = await app.inject({ method: 'GET', url: '/health' });
    expect(health.statusCode).toBe(503);
    expect(health.json()).toMatchObject({ ok: false, message: 'serve: the compute thread stopped' });
    await app.close();
    // In this thread the engine is always alive.
    expect(inProcessEngine(model, index).alive).toBe(true);
  });
});
