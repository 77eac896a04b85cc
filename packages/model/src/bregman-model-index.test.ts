import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type { QuerySlot } from '@empirical-bregman/bregman-core';
import { exactKnn } from '@empirical-bregman/search';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BregmanModel } from './bregman-model';
import type { BregmanModelIndex, IndexSearchResult } from './bregman-model-index';
import { MemoryFiles } from './memory-files';
import { loadModel, loadModelWithIndex } from './node/load-model';
import { blobs, writeTestModel } from './testing/write-test-model';
import { rejection } from './testing/rejection';

const root = mkdtempSync(join(tmpdir(), 'eb-model-index-'));
const items = blobs(150, 4, 3, { seed: 1 });
const queries = blobs(21, 4, 3, { seed: 2 });
let model: BregmanModel;
let otherModel: BregmanModel;
let index: BregmanModelIndex;

beforeAll(async () => {
  for (const [name, seed] of [
    ['model', 7],
    ['other', 8],
  ] as const) {
    const saved = await writeTestModel(join(root, name), { seed });
    saved.trunk.dispose();
    saved.head.dispose();
  }
  model = await loadModel(join(root, 'model'));
  otherModel = await loadModel(join(root, 'other'));
  index = await model.index(items.values, items.labels);
});

afterAll(() => {
  index.dispose();
  model.dispose();
  otherModel.dispose();
  rmSync(root, { recursive: true, force: true });
});

function same(a: IndexSearchResult, b: IndexSearchResult): void {
  expect(Array.from(a.indices)).toEqual(Array.from(b.indices));
  expect(Array.from(a.divergences)).toEqual(Array.from(b.divergences));
  expect(a.labels && Array.from(a.labels)).toEqual(b.labels && Array.from(b.labels));
}

describe('BregmanModelIndex (exact)', () => {
  it('holds the items embedded once, as embed gives them', () => {
    expect(index.size).toBe(150);
    expect(index.kind).toBe('exact');
    const z = model.embed(items.values);
    const expected = z.dataSync();
    z.dispose();
    const got = index.itemEmbeddings();
    for (let i = 0; i < got.length; i++) expect(got[i]).toBeCloseTo(expected[i]!, 6);
    expect(Array.from(index.itemLabels()!)).toEqual(Array.from(items.labels));
  });

  it.each(['left', 'right'] as const)('search equals exactKnn on the same embeddings, slot %s', async (slot) => {
    const result = await index.search(queries.values, { k: 7, slot });
    const q = model.embed(queries.values);
    const r = tf.tensor2d(index.itemEmbeddings(), [150, 3]);
    const nn = await exactKnn(model.head, q, r, { k: 7, querySlot: slot });
    tf.dispose([q, r]);
    expect(result).toMatchObject({ numQueries: 21, k: 7, slot });
    expect(Array.from(result.indices)).toEqual(Array.from(nn.indices));
    expect(Array.from(result.divergences)).toEqual(Array.from(nn.distances));
    expect(Array.from(result.labels!)).toEqual(Array.from(nn.indices, (j) => items.labels[j]!));
  });

  it('the slots differ under an asymmetric head, and the default is the manifest’s', async () => {
    const left = await index.search(queries.values, { k: 7, slot: 'left' });
    const right = await index.search(queries.values, { k: 7, slot: 'right' });
    expect(Array.from(left.divergences)).not.toEqual(Array.from(right.divergences));
    same(await index.search(queries.values, { k: 7 }), left);
    const empty = await index.search(new Float32Array(0), { k: 3 });
    expect(empty.indices.length).toBe(0);
  });

  it('refuses a k beyond the items and a bad slot', async () => {
    expect(await rejection(index.search(queries.values, { k: 151 }))).toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(await rejection(index.search(queries.values, { k: 2, slot: 'up' as QuerySlot }))).toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
  });

  it('save → loadModelWithIndex (a folder: model + index together) gives identical search results', async () => {
    const dir = join(root, 'saved-index');
    await index.save(dir);
    const header = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8'));
    expect(header).toMatchObject({
      format: 'empirical-bregman-model-index',
      version: 1,
      kind: 'exact',
      size: 150,
      embeddingDim: 3,
      model: 'model/',
      modelFingerprint: await model.fingerprint(),
      embeddings: { file: 'embeddings.bin', dtype: 'float32', byteOrder: 'little', shape: [150, 3] },
      labels: { file: 'labels.bin', dtype: 'int32', byteOrder: 'little', shape: [150] },
      ann: null,
    });
    expect(readFileSync(join(dir, 'embeddings.bin')).byteLength).toBe(150 * 3 * 4);
    const { model: loadedModel, index: loaded } = await loadModelWithIndex(dir);
    try {
      for (const slot of ['left', 'right'] as const) {
        same(await loaded.search(queries.values, { k: 9, slot }), await index.search(queries.values, { k: 9, slot }));
      }
    } finally {
      loaded.dispose();
      loadedModel.dispose();
    }
  });

  it('save → model.loadIndex through memory (no model copy) gives identical results', async () => {
    const files = new MemoryFiles();
    await index.save(files, { includeModel: false });
    expect([...files.files.keys()]).toEqual(['embeddings.bin', 'labels.bin', 'index.json']); // header last
    const loaded = await model.loadIndex(files);
    try {
      same(await loaded.search(queries.values, { k: 5 }), await index.search(queries.values, { k: 5 }));
    } finally {
      loaded.dispose();
    }
    expect(await rejection(loadModelWithIndex(files))).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('a saved index is checked: checksum, version, the model it belongs to', async () => {
    const files = new MemoryFiles();
    await index.save(files, { includeModel: false });
    const corrupted = new MemoryFiles(files.files);
    const bytes = files.files.get('embeddings.bin')!.slice();
    bytes[17]! ^= 1;
    corrupted.files.set('embeddings.bin', bytes);
    const checksum = await rejection(model.loadIndex(corrupted));
    expect(checksum.code).toBe('CHECKSUM_MISMATCH');
    expect(checksum.message).toMatch(
      /expected embeddings.bin in memory to have SHA-256 [0-9a-f]{64} \(from index.json\), got/,
    );

    const newer = new MemoryFiles(files.files);
    const header = JSON.parse(new TextDecoder().decode(files.files.get('index.json')));
    newer.files.set('index.json', new TextEncoder().encode(JSON.stringify({ ...header, version: 2 })));
    const version = await rejection(model.loadIndex(newer));
    expect(version.code).toBe('UNSUPPORTED');
    expect(version.message).toMatch(/expected index.json version 1 .*got 2/);

    const foreign = await rejection(otherModel.loadIndex(files));
    expect(foreign.code).toBe('INVALID_ARGUMENT');
    expect(foreign.message).toMatch(/expected an index built with this model/);

    const truncated = new MemoryFiles(files.files);
    truncated.files.set('labels.bin', files.files.get('labels.bin')!.subarray(0, 8));
    expect(await rejection(model.loadIndex(truncated))).toMatchObject({ code: 'BAD_FORMAT' });
    expect(await rejection(model.loadIndex(new MemoryFiles()))).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('add: new items get the next indices and are found; the result equals an index built at once', async () => {
    const first = await model.index(items.values.subarray(0, 100 * 4), items.labels.subarray(0, 100));
    try {
      await first.add(items.values.subarray(100 * 4), items.labels.subarray(100));
      expect(first.size).toBe(150);
      const found = await first.search(items.values.subarray(100 * 4), { k: 3 });
      for (let i = 0; i < 50; i++) {
        const row = Array.from(found.indices.subarray(i * 3, i * 3 + 3));
        expect(row).toContain(100 + i);
        expect(found.divergences[i * 3 + row.indexOf(100 + i)]).toBe(0); // D(x, x), snapped to exactly 0
      }
      same(await first.search(queries.values, { k: 6 }), await index.search(queries.values, { k: 6 }));
      expect(await rejection(first.add(items.values.subarray(0, 4)))).toMatchObject({ code: 'INVALID_ARGUMENT' });
    } finally {
      first.dispose();
    }
  });

  it('match: every item with D ≤ threshold, sorted, as the head’s pairwise gives them', async () => {
    const threshold = 0.05;
    const result = await index.match(queries.values, threshold, { slot: 'right' });
    const expected = tf.tidy(() => {
      const q = model.embed(queries.values);
      const r = tf.tensor2d(index.itemEmbeddings(), [150, 3]);
      return tf.transpose(model.head.pairwise(r, q)).arraySync() as number[][];
    });
    let total = 0;
    for (let i = 0; i < 21; i++) {
      const want = expected[i]!.flatMap((d, j) => (d <= threshold ? [j] : [])).sort(
        (a, b) => expected[i]![a]! - expected[i]![b]! || a - b,
      );
      const got = Array.from(result.indices.subarray(result.offsets[i]!, result.offsets[i + 1]!));
      expect(got).toEqual(want);
      for (let t = result.offsets[i]!; t < result.offsets[i + 1]!; t++) {
        expect(result.divergences[t]).toBeCloseTo(expected[i]![result.indices[t]!]!, 5);
        expect(result.labels![t]).toBe(items.labels[result.indices[t]!]);
      }
      total += got.length;
    }
    expect(total).toBeGreaterThan(21); // the threshold takes more than one item per query …
    expect(total).toBeLessThan(21 * 150); // … and not all of them
  });

  it('leaves the tensor count as it found it: index, search, match, predict, add, save, load, dispose', async () => {
    const before = tf.memory().numTensors;
    const tmp = await model.index(items.values, items.labels);
    expect(tf.memory().numTensors).toBe(before + 1); // its embeddings
    await tmp.search(queries.values, { k: 4, slot: 'left' });
    await tmp.search(queries.values, { k: 4, slot: 'right' });
    await tmp.match(queries.values, 0.1);
    await tmp.predict(queries.values, { k: 4 });
    await tmp.predict(queries.values, { k: 4, slot: 'right' });
    await tmp.centroidDivergences(queries.values);
    await tmp.add(queries.values, queries.labels);
    expect(tf.memory().numTensors).toBe(before + 1);
    const files = new MemoryFiles();
    await tmp.save(files);
    const again = await model.loadIndex(files);
    expect(tf.memory().numTensors).toBe(before + 2);
    again.dispose();
    tmp.dispose();
    tmp.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(await rejection(tmp.search(queries.values, { k: 1 }))).toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});

describe('predictions', () => {
  it('k-NN vote on a separable toy set is right, with per-class scores', async () => {
    const prediction = await model.predict(queries.values, { k: 5, index });
    expect(prediction.numRows).toBe(21);
    expect(Array.from(prediction.classes)).toEqual([0, 1, 2]);
    expect(prediction.classNames).toEqual(['a', 'b', 'c']);
    expect(Array.from(prediction.knn.labels)).toEqual(Array.from(queries.labels));
    for (let i = 0; i < 21; i++) {
      const row = Array.from(prediction.knn.scores.subarray(i * 3, i * 3 + 3));
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
      expect(row[queries.labels[i]!]).toBe(1); // tight blobs: all 5 neighbours of the query's class
    }
  });

  it('centroid probabilities: a softmax of −D/τ with the class frequencies, τ fitted on held-out rows', async () => {
    const before = await index.predict(queries.values, { k: 5, temperature: 2 });
    expect(before.centroid.temperature).toBe(2);
    for (let i = 0; i < 21; i++) {
      const d = Array.from(before.centroid.divergences.subarray(i * 3, i * 3 + 3));
      const w = d.map((v) => Math.exp(-v / 2) / 3); // equal class frequencies (50 each)
      const z = w.reduce((a, b) => a + b, 0);
      for (let c = 0; c < 3; c++) expect(before.centroid.probabilities[i * 3 + c]).toBeCloseTo(w[c]! / z, 6);
    }
    const fitted = await index.fitTemperature(queries.values, queries.labels);
    expect(fitted.temperature).toBeGreaterThan(0);
    expect(index.temperature).toBe(fitted.temperature);
    const after = await index.predict(queries.values, { k: 5 });
    expect(after.centroid.temperature).toBe(fitted.temperature);
    await expect(index.fitTemperature(queries.values.subarray(0, 4), [7])).rejects.toThrow(
      /expected labels among the index's classes, got 7 at 0/,
    );
  });

  it('k-NN kernel probabilities: (Σ_{r∈c} exp(−(D_r − D₍₁₎)/τ′) + ε·π_c) / (Σ_r … + ε) over the searched neighbours; τ′, ε fitted for their k', async () => {
    // An index of its own: the fitted state of the shared one must not leak in (or out).
    const own = await model.index(items.values, items.labels);
    const kernelOf = async (options: { k?: number; knnTemperature?: number }) => {
      const p = await own.predict(queries.values, options);
      const k = p.knn.k;
      const nn = await own.search(queries.values, { k });
      for (let i = 0; i < 21; i++) {
        const d = Array.from(nn.divergences.subarray(i * k, (i + 1) * k));
        const l = Array.from(nn.labels!.subarray(i * k, (i + 1) * k));
        const w = d.map((v) => Math.exp(-(v - d[0]!) / p.knn.temperature));
        const total = w.reduce((a, b) => a + b, 0) + p.knn.smoothing;
        for (let c = 0; c < 3; c++) {
          const votes = w.reduce((sum, wr, r) => sum + (l[r] === c ? wr : 0), 0);
          expect(p.knn.probabilities[i * 3 + c]).toBeCloseTo((votes + p.knn.smoothing / 3) / total, 9);
        }
      }
      return p.knn;
    };
    // Unfitted: τ′ as given (else 1), ε 0.01, not fitted.
    expect(await kernelOf({ k: 5, knnTemperature: 0.5 })).toMatchObject({
      temperature: 0.5,
      smoothing: 0.01,
      fitted: false,
    });
    expect(await kernelOf({ k: 5 })).toMatchObject({ temperature: 1, smoothing: 0.01, fitted: false });
    const fitted = await own.fitTemperature(queries.values, queries.labels, { k: 5 });
    expect(fitted.knn.k).toBe(5);
    expect(own.knnKernel).toEqual({ temperature: fitted.knn.temperature, smoothing: fitted.knn.smoothing, k: 5 });
    // The fitted kernel's k is the default k, and it is used there.
    const used = await kernelOf({});
    expect(used).toMatchObject({
      k: 5,
      temperature: fitted.knn.temperature,
      smoothing: fitted.knn.smoothing,
      fitted: true,
    });
    // Tight, separable blobs: the fitted kernel is confident and right.
    for (let i = 0; i < 21; i++) expect(used.probabilities[i * 3 + queries.labels[i]!]).toBeGreaterThan(0.9);
    // Another k: the kernel was not fitted for it.
    expect(await kernelOf({ k: 7 })).toMatchObject({ k: 7, temperature: 1, smoothing: 0.01, fitted: false });
    own.dispose();
  });

  it('a fitted index saves its calibration: loaded, it predicts the same calibrated probabilities', async () => {
    const own = await model.index(items.values, items.labels);
    await own.fitTemperature(queries.values, queries.labels, { k: 5 });
    const files = new MemoryFiles();
    await own.save(files, { includeModel: false });
    const header = JSON.parse((await files.readText('index.json'))!);
    expect(header.calibration).toEqual({ temperature: own.temperature, knn: own.knnKernel });
    const again = await model.loadIndex(files);
    expect(again.temperature).toBe(own.temperature);
    expect(again.knnKernel).toEqual(own.knnKernel);
    const [a, b] = [await own.predict(queries.values), await again.predict(queries.values)];
    expect(Array.from(b.centroid.probabilities)).toEqual(Array.from(a.centroid.probabilities));
    expect(Array.from(b.knn.probabilities)).toEqual(Array.from(a.knn.probabilities));
    expect([b.centroid.fitted, b.knn.fitted]).toEqual([true, true]);
    // An unfitted index writes no calibration key (readable by readers that predate it).
    const unfitted = await model.index(items.values, items.labels);
    const plainFiles = new MemoryFiles();
    await unfitted.save(plainFiles, { includeModel: false });
    expect(JSON.parse((await plainFiles.readText('index.json'))!)).not.toHaveProperty('calibration');
    const loadedPlain = await model.loadIndex(plainFiles);
    expect((await loadedPlain.predict(queries.values)).centroid.fitted).toBe(false);
    for (const i of [own, again, unfitted, loadedPlain]) i.dispose();
  });

  it('excludeSelf: the index own items predicted leave-one-out, as a search of the others gives', async () => {
    const loo = await index.predict(items.values, { k: 3, excludeSelf: true });
    const wide = await index.search(items.values, { k: 4 });
    for (let i = 0; i < 150; i++) {
      const others = Array.from(wide.indices.subarray(i * 4, i * 4 + 4))
        .filter((j) => j !== i)
        .slice(0, 3);
      const votes = others.map((j) => items.labels[j]!);
      const scores = Array.from(loo.knn.scores.subarray(i * 3, i * 3 + 3));
      for (let c = 0; c < 3; c++) expect(scores[c]).toBeCloseTo(votes.filter((v) => v === c).length / 3, 6);
    }
    expect(Array.from(loo.knn.labels)).toEqual(Array.from(items.labels));
    await expect(index.predict(queries.values, { excludeSelf: true })).rejects.toThrow(
      /expected the index's own 150 items as rows with excludeSelf, got 21 rows/,
    );
  });

  it('nearest centroid = argmin of the divergences to the class means (slot left: the mean is the right centroid)', async () => {
    const prediction = await index.predict(queries.values, { k: 5, slot: 'left' });
    const embedded = index.itemEmbeddings();
    const means = new Float32Array(3 * 3);
    const sums = new Float64Array(9);
    const counts = [0, 0, 0];
    for (let i = 0; i < 150; i++) {
      counts[items.labels[i]!]!++;
      for (let t = 0; t < 3; t++) sums[items.labels[i]! * 3 + t]! += embedded[i * 3 + t]!;
    }
    for (let c = 0; c < 3; c++) for (let t = 0; t < 3; t++) means[c * 3 + t] = sums[c * 3 + t]! / counts[c]!;
    const d = tf.tidy(() =>
      model.head.pairwise(model.embed(queries.values), tf.tensor2d(means, [3, 3])).dataSync(),
    ) as Float32Array;
    const argmin = Array.from({ length: 21 }, (_, i) => {
      const row = Array.from(d.subarray(i * 3, i * 3 + 3));
      return row.indexOf(Math.min(...row));
    });
    expect(Array.from(prediction.centroid.labels)).toEqual(argmin);
    expect(argmin).toEqual(Array.from(queries.labels));
    for (let t = 0; t < d.length; t++) expect(prediction.centroid.divergences[t]).toBeCloseTo(d[t]!, 5);
    const centroids = await index.classCentroids('left');
    expect(centroids).toMatchObject({ method: 'mean', converged: true, slot: 'left' });
    expect(Array.from(centroids.counts)).toEqual([50, 50, 50]);
    expect(Array.from(centroids.centroids)).toEqual(Array.from(means));
    // The same divergences through the model, for the calibration to come.
    const fromModel = await model.centroidDivergences(queries.values, { index, slot: 'left' });
    expect(Array.from(fromModel.divergences)).toEqual(Array.from(prediction.centroid.divergences));
  });

  it('slot right: the centroids take the left slot (∇φ*(mean ∇φ(x))), and still find the classes', async () => {
    const prediction = await index.predict(queries.values, { k: 5, slot: 'right' });
    const centroids = await index.classCentroids('right');
    expect(centroids.method).toBe('left-bregman');
    const means = (await index.classCentroids('left')).centroids;
    expect(Array.from(centroids.centroids)).not.toEqual(Array.from(means)); // not the mean under an ICNN φ
    expect(Array.from(prediction.centroid.labels)).toEqual(Array.from(queries.labels));
    expect(Array.from(prediction.knn.labels)).toEqual(Array.from(queries.labels));
  });

  it('classes the model never saw are named by number; an index without labels cannot predict', async () => {
    const shifted = Int32Array.from(items.labels, (c) => c + 5);
    const novel = await model.index(items.values, shifted);
    const plain = await model.index(items.values);
    try {
      const prediction = await novel.predict(queries.values, { k: 3 });
      expect(prediction.classNames).toEqual(['5', '6', '7']);
      expect(Array.from(prediction.knn.labels)).toEqual(Array.from(queries.labels, (c) => c + 5));
      expect((await plain.search(queries.values, { k: 2 })).labels).toBeUndefined();
      expect(await rejection(plain.predict(queries.values))).toMatchObject({ code: 'INVALID_ARGUMENT' });
      // The model's current index is the last one built: `plain`.
      expect(await rejection(model.predict(queries.values))).toMatchObject({ code: 'INVALID_ARGUMENT' });
      expect(await rejection(otherModel.predict(queries.values, { index: novel }))).toMatchObject({
        code: 'INVALID_ARGUMENT',
      });
    } finally {
      novel.dispose();
      plain.dispose();
    }
  });
});

describe('index files on disk', () => {
  it('a header written last: a folder without it is not an index', async () => {
    const dir = join(root, 'half');
    await index.save(dir, { includeModel: false });
    writeFileSync(join(dir, 'index.json'), '{"format": "something-else"}');
    expect(await rejection(model.loadIndex(dir))).toMatchObject({ code: 'BAD_FORMAT' });
  });
});
