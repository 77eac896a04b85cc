import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BregmanModel } from '../bregman-model';
import type { BregmanModelIndex } from '../bregman-model-index';
import { MemoryFiles } from '../memory-files';
import { blobs, writeTestModel } from '../testing/write-test-model';
import { directorySource } from './directory-source';
import { loadModel, loadModelWithIndex } from './load-model';
import { rejection } from '../testing/rejection';

const root = mkdtempSync(join(tmpdir(), 'eb-model-ann-'));
// A few hundred items in 10 loose classes, so that neighbour lists are not trivial.
const items = blobs(400, 6, 10, { spread: 1.5, seed: 3 });
const queries = blobs(60, 6, 10, { spread: 1.5, seed: 4 });
let model: BregmanModel;
let exact: BregmanModelIndex;
let ann: BregmanModelIndex;

beforeAll(async () => {
  const saved = await writeTestModel(join(root, 'model'), { sampleShape: [6], embeddingDim: 8, standardizer: null });
  saved.trunk.dispose();
  saved.head.dispose();
  model = await loadModel(join(root, 'model'));
  exact = await model.index(items.values, items.labels);
  ann = await model.index(items.values, items.labels, { kind: 'ann', ann: { threads: 1 } });
});

afterAll(() => {
  exact.dispose();
  ann.dispose();
  model.dispose();
  rmSync(root, { recursive: true, force: true });
});

/** Mean share of the exact top-k found by the ANN search. */
function recall(found: Int32Array, truth: Int32Array, n: number, k: number): number {
  let hits = 0;
  for (let i = 0; i < n; i++) {
    const want = new Set(truth.subarray(i * k, (i + 1) * k));
    for (const j of found.subarray(i * k, (i + 1) * k)) if (want.has(j)) hits++;
  }
  return hits / (n * k);
}

describe('ANN index (Node: search/ann on usearch)', () => {
  it('recall@10 ≥ 0.9 against the exact index, with exact divergences for what it finds', async () => {
    const truth = await exact.search(queries.values, { k: 10 });
    const found = await ann.search(queries.values, { k: 10, width: 32 });
    expect(ann.kind).toBe('ann');
    expect(ann.annSlot).toBe('left');
    const r = recall(found.indices, truth.indices, 60, 10);
    expect(r).toBeGreaterThanOrEqual(0.9);
    // Where both found the same item at the same rank, the divergence is the same D (up to float32 round-off).
    for (let t = 0; t < truth.indices.length; t++) {
      if (found.indices[t] === truth.indices[t]) {
        expect(found.divergences[t]).toBeCloseTo(truth.divergences[t]!, 4);
      }
    }
    expect(Array.from(found.labels!)).toEqual(Array.from(found.indices, (j) => items.labels[j]!));
  });

  it('answers only the slot it was built for', async () => {
    const wrong = await rejection(ann.search(queries.values, { k: 3, slot: 'right' }));
    expect(wrong.code).toBe('UNSUPPORTED');
    expect(wrong.message).toMatch(/built for it\), got right/);
    const right = await model.index(items.values, items.labels, { kind: 'ann', slot: 'right', ann: { threads: 1 } });
    try {
      expect(right.defaultSlot).toBe('right');
      const truth = await exact.search(queries.values, { k: 10, slot: 'right' });
      const found = await right.search(queries.values, { k: 10 });
      expect(found.slot).toBe('right');
      expect(recall(found.indices, truth.indices, 60, 10)).toBeGreaterThanOrEqual(0.9);
    } finally {
      right.dispose();
    }
  });

  it('save → loadModelWithIndex: the graph, the embeddings and the labels, with identical results', async () => {
    const dir = join(root, 'ann-index');
    await ann.save(dir);
    for (const file of [
      'index.json',
      'embeddings.bin',
      'labels.bin',
      'ann.usearch',
      'ann.usearch.json',
      'model/manifest.json',
    ]) {
      expect(existsSync(join(dir, file))).toBe(true);
    }
    const { model: loadedModel, index: loaded } = await loadModelWithIndex(dir);
    try {
      expect(loaded.kind).toBe('ann');
      const a = await ann.search(queries.values, { k: 10, width: 32 });
      const b = await loaded.search(queries.values, { k: 10, width: 32 });
      expect(Array.from(b.indices)).toEqual(Array.from(a.indices));
      expect(Array.from(b.divergences)).toEqual(Array.from(a.divergences));
      const prediction = await loaded.predict(queries.values, { k: 10 });
      expect(prediction.knn.labels.length).toBe(60);
    } finally {
      loaded.dispose();
      loadedModel.dispose();
    }
    // The graph is read by path: a source that is not a folder cannot give it.
    const viaMemory = await rejection(model.loadIndex({ ...directorySource(dir), directory: undefined }));
    expect(viaMemory.code).toBe('UNAVAILABLE');
    expect(await rejection(ann.save(new MemoryFiles()))).toMatchObject({ code: 'UNAVAILABLE' });
  });

  it('add rebuilds the graph over all items', async () => {
    const index = await model.index(items.values.subarray(0, 300 * 6), items.labels.subarray(0, 300), {
      kind: 'ann',
      ann: { threads: 1 },
    });
    try {
      await index.add(items.values.subarray(300 * 6), items.labels.subarray(300));
      expect(index.size).toBe(400);
      const found = await index.search(items.values.subarray(300 * 6), { k: 5, width: 64 });
      let self = 0;
      for (let i = 0; i < 100; i++) if (found.indices.subarray(i * 5, i * 5 + 5).includes(300 + i)) self++;
      expect(self).toBeGreaterThanOrEqual(95);
    } finally {
      index.dispose();
    }
  });

  it('needs a Bregman head, and a model loaded with the Node host', async () => {
    const euclidDir = join(root, 'euclid');
    const saved = await writeTestModel(euclidDir, { head: 'squared-euclidean' });
    saved.trunk.dispose();
    const euclid = await loadModel(euclidDir);
    const browserLike = await BregmanModel.load(directorySource(join(root, 'model')));
    try {
      const head = await rejection(euclid.index(blobs(20, 4, 2).values, undefined, { kind: 'ann' }));
      expect(head.code).toBe('UNSUPPORTED');
      expect(head.message).toMatch(/expected a Bregman head for an ANN index .*got SquaredEuclideanDivergence/);
      const host = await rejection(browserLike.index(items.values, undefined, { kind: 'ann' }));
      expect(host.code).toBe('UNAVAILABLE');
      expect(host.message).toMatch(/@empirical-bregman\/model\/node/);
    } finally {
      euclid.dispose();
      browserLike.dispose();
    }
  });

  it('leaves the tensor count as it found it', async () => {
    const before = tf.memory().numTensors;
    const index = await model.index(items.values, items.labels, { kind: 'ann', ann: { threads: 1 } });
    await index.search(queries.values, { k: 5 });
    await index.predict(queries.values, { k: 5 });
    index.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
