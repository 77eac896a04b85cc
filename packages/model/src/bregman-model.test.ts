import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { Divergence } from '@empirical-bregman/bregman-core';
import { isEmpiricalBregmanError } from '@empirical-bregman/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BregmanModel } from './bregman-model';
import { ModelError } from './model-error';
import type { ModelManifest } from './model-manifest';
import { loadModel } from './node/load-model';
import { blobs, writeTestModel } from './testing/write-test-model';

const root = mkdtempSync(join(tmpdir(), 'eb-model-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Float64 standardisation as datasets' Standardizer does it, then the trunk: the pipeline the CLI trains on. */
function handBuilt(trunk: tfl.LayersModel, manifest: ModelManifest, values: Float32Array): Float32Array {
  const { mean, std } = manifest.input.standardizer!;
  const size = mean.length;
  const z = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) z[i] = (values[i]! - mean[i % size]!) / std[i % size]!;
  const n = values.length / size;
  return tf
    .tidy(() => trunk.predict(tf.tensor(z, [n, ...manifest.input.sampleShape])) as tf.Tensor)
    .dataSync() as Float32Array;
}

describe('BregmanModel', () => {
  let dir: string;
  let trunk: tfl.Sequential;
  let head: Divergence;
  let manifest: ModelManifest;
  let model: BregmanModel;
  const data = blobs(37, 4, 3);

  beforeAll(async () => {
    dir = join(root, 'table');
    ({ trunk, head, manifest } = await writeTestModel(dir));
    model = await loadModel(dir);
  });
  afterAll(() => {
    model.dispose();
    trunk.dispose();
    head.dispose();
  });

  it('loads the manifest, the trunk and the head', () => {
    expect(model.manifest).toEqual(manifest);
    expect(model.sampleShape).toEqual([4]);
    expect(model.embeddingDim).toBe(3);
    expect(model.querySlot).toBe('left');
    expect(model.head.toJSON()).toEqual(JSON.parse(JSON.stringify(head.toJSON())));
    expect(model.labelName(1)).toBe('b');
    expect(model.labelName(7)).toBe('7');
  });

  it('embed equals the hand-built pipeline: standardize (float64) → trunk.predict', () => {
    const expected = handBuilt(trunk, manifest, data.values);
    const z = model.embed(data.values);
    expect(z.shape).toEqual([37, 3]);
    const got = z.dataSync();
    z.dispose();
    for (let i = 0; i < expected.length; i++) expect(got[i]).toBeCloseTo(expected[i]!, 5);
    // Not the identity: the standardizer matters (without it the embeddings differ).
    const raw = tf.tidy(() => (trunk.predict(tf.tensor2d(data.values, [37, 4])) as tf.Tensor).dataSync());
    expect(Math.max(...Array.from(raw, (v, i) => Math.abs(v - expected[i]!)))).toBeGreaterThan(1e-2);
  });

  it('takes a typed array, number[][] or a tensor, and embedArray gives the same values in batches', async () => {
    const z = model.embed(data.values);
    const reference = z.dataSync().slice();
    z.dispose();
    const rows = Array.from({ length: 37 }, (_, i) => Array.from(data.values.subarray(i * 4, (i + 1) * 4)));
    const asRows = model.embed(rows);
    const tensor = tf.tensor2d(data.values, [37, 4]);
    const asTensor = model.embed(tensor);
    expect(Array.from(asRows.dataSync())).toEqual(Array.from(reference));
    expect(Array.from(asTensor.dataSync())).toEqual(Array.from(reference));
    tf.dispose([asRows, asTensor]);
    expect(tensor.isDisposed).toBe(false);
    tensor.dispose();
    const batched = await model.embedArray(data.values, { batchSize: 5 });
    for (let i = 0; i < reference.length; i++) expect(batched[i]).toBeCloseTo(reference[i]!, 6);
    expect(model.embed(new Float32Array(0)).shape).toEqual([0, 3]);
  });

  it('divergence(a, b) is the head on the embeddings, a in the left slot', () => {
    const a = data.values.subarray(0, 20);
    const b = data.values.subarray(20, 40);
    const d = model.divergence(a, b);
    const expected = tf.tidy(() => model.head.paired(model.embed(a), model.embed(b)));
    const reversed = model.divergence(b, a);
    expect(Array.from(d.dataSync())).toEqual(Array.from(expected.dataSync()));
    expect(Array.from(reversed.dataSync())).not.toEqual(Array.from(d.dataSync())); // asymmetric head
    tf.dispose([d, expected, reversed]);
  });

  it('leaves no tensor behind: embed (disposed by the caller), embedArray, divergence', async () => {
    const before = tf.memory().numTensors;
    model.embed(data.values).dispose();
    await model.embedArray(data.values, { batchSize: 8 });
    model.divergence(data.values, data.values).dispose();
    const input = tf.tensor2d(data.values, [37, 4]);
    model.embed(input).dispose();
    expect(input.isDisposed).toBe(false); // inputs are the caller's
    expect(tf.memory().numTensors).toBe(before + 1);
    input.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses input of another shape, naming the expected one', () => {
    const wrong = () => model.embed(new Float32Array(10));
    expect(wrong).toThrow(ModelError);
    expect(wrong).toThrow(/n · 4 values/);
    const tensor = tf.zeros([2, 2, 2]);
    try {
      model.embed(tensor);
      expect.unreachable();
    } catch (error) {
      expect(isEmpiricalBregmanError(error) && error.code).toBe('INVALID_SHAPE');
      expect((error as Error).message).toMatch(/expected raw of shape \[n, 4\].*got \[2, 2, 2\].*reshape/);
    } finally {
      tensor.dispose();
    }
    expect(() => model.embed([[1, 2, 3]])).toThrow(/raw\[0\] to be an array of 4 numbers/);
  });

  it('images: divides by the divisor, then standardizes (the statistics are of the divided pixels)', async () => {
    const imageDir = join(root, 'image');
    const shape = [2, 2, 1];
    const mean = [0.1, 0.2, 0.3, 0.4];
    const std = [0.5, 0.25, 1, 2];
    const saved = await writeTestModel(imageDir, {
      kind: 'image',
      sampleShape: shape,
      standardizer: { mean, std },
      divisor: 255,
    });
    const image = await loadModel(imageDir);
    try {
      const pixels = Uint8Array.from({ length: 5 * 4 }, (_, t) => (t * 37) % 256);
      const expected = tf.tidy(() => {
        const x = Float32Array.from(pixels, (p, t) => (p / 255 - mean[t % 4]!) / std[t % 4]!);
        return (saved.trunk.predict(tf.tensor(x, [5, ...shape])) as tf.Tensor).dataSync();
      });
      const z = image.embed(pixels);
      const got = z.dataSync();
      z.dispose();
      for (let i = 0; i < expected.length; i++) expect(got[i]).toBeCloseTo(expected[i]!, 5);
      // int32 tensors (e.g. decoded images) are cast.
      const ints = tf.tensor(Int32Array.from(pixels), [5, ...shape], 'int32');
      const fromInts = image.embed(ints);
      expect(Array.from(fromInts.dataSync())).toEqual(Array.from(got));
      tf.dispose([ints, fromInts]);
    } finally {
      image.dispose();
      saved.trunk.dispose();
      saved.head.dispose();
    }
  });

  it('fingerprint: stable for one folder, different for another model', async () => {
    const again = await loadModel(dir);
    const otherDir = join(root, 'other');
    const other = await writeTestModel(otherDir, { seed: 99 });
    const otherModel = await loadModel(otherDir);
    try {
      expect(await again.fingerprint()).toBe(await model.fingerprint());
      expect(await model.fingerprint()).toMatch(/^[0-9a-f]{64}$/);
      expect(await otherModel.fingerprint()).not.toBe(await model.fingerprint());
    } finally {
      again.dispose();
      otherModel.dispose();
      other.trunk.dispose();
      other.head.dispose();
    }
  });

  it('evaluate: eval on the embeddings under the head, in the manifest slot', async () => {
    const result = await model.evaluate(data.values, data.labels, { include: ['precisionAt1', 'mapAtR'] });
    expect(result.retrieval.precisionAt1).toBe(1); // tight, well-separated blobs
    expect(result.retrieval.mapAtR).toBeGreaterThan(0.99);
  });

  it('a disposed model refuses work', async () => {
    const copy = await BregmanModel.load(dir, { host: (await import('./node/node-host')).nodeHost });
    copy.dispose();
    copy.dispose();
    expect(() => copy.embed(data.values)).toThrow(/disposed/);
  });
});
