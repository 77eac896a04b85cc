import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
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

  it('refuses a weights file with junk appended or cut short, naming both byte counts', async () => {
    const model = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [3], units: 2 })] });
    const folder = join(dir, 'sized');
    await model.save(fileSystemIOHandler(folder));
    model.dispose();
    const weights = readFileSync(join(folder, 'weights.bin'));
    // 3×2 kernel + 2 biases, float32
    expect(weights.byteLength).toBe(32);
    writeFileSync(join(folder, 'weights.bin'), Buffer.concat([weights, Buffer.from('junk')]));
    await expect(tfl.loadLayersModel(fileSystemIOHandler(folder))).rejects.toThrow(
      /expected 32 bytes of weights in \.\/weights\.bin \(from .*model\.json\), got 36 \(junk appended to a weights file\)/,
    );
    writeFileSync(join(folder, 'weights.bin'), weights.subarray(0, 20));
    await expect(tfl.loadLayersModel(fileSystemIOHandler(folder))).rejects.toThrow(
      /got 20 \(a truncated weights file\)/,
    );
    const json = JSON.parse(readFileSync(join(folder, 'model.json'), 'utf8'));
    json.weightsManifest[0].paths = ['../../etc/passwd'];
    writeFileSync(join(folder, 'model.json'), JSON.stringify(json));
    await expect(tfl.loadLayersModel(fileSystemIOHandler(folder))).rejects.toThrow(/expected weight paths inside/);
  });
});
