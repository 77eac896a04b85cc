import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, describe, expect, it } from 'vitest';
import { fileSystemIOHandler } from './file-system-io-handler';

const dir = mkdtempSync(join(tmpdir(), 'eb-io-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('fileSystemIOHandler', () => {
  it('round-trips a layers model: same topology, same weights, same predictions', async () => {
    const model = tfl.sequential({
      layers: [tfl.layers.dense({ inputShape: [5], units: 7, activation: 'relu' }), tfl.layers.dense({ units: 3 })],
    });
    const x = tf.randomNormal([4, 5]);
    const expected = (model.predict(x) as tf.Tensor).arraySync();
    await model.save(fileSystemIOHandler(join(dir, 'm1')));
    expect(readdirSync(join(dir, 'm1')).sort()).toEqual(['model.json', 'weights.bin']);
    const loaded = await tfl.loadLayersModel(fileSystemIOHandler(join(dir, 'm1')));
    const actual = (loaded.predict(x) as tf.Tensor).arraySync() as number[][];
    expect(actual).toEqual(expected);
    tf.dispose([x]);
    model.dispose();
    loaded.dispose();
  });

  it('says which file is missing or broken', async () => {
    await expect(tfl.loadLayersModel(fileSystemIOHandler(join(dir, 'nothing')))).rejects.toThrow(
      /fileSystemIOHandler.load: expected a saved model at .*nothing\/model.json, got no such file/,
    );
    const broken = join(dir, 'broken');
    await tfl
      .sequential({ layers: [tfl.layers.dense({ inputShape: [2], units: 1 })] })
      .save(fileSystemIOHandler(broken));
    writeFileSync(join(broken, 'model.json'), '{"modelTopology": ');
    await expect(tfl.loadLayersModel(fileSystemIOHandler(broken))).rejects.toThrow(/expected JSON in .*model.json/);
  });
});
