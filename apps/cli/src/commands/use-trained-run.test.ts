import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadMnistDigits } from '@empirical-bregman/datasets/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseNpy } from '@empirical-bregman/datasets';
import { encodeNpy } from '../io/npy';
import { embedCommand } from './embed-command';
import { evalCommand } from './eval-command';
import { queryCommand } from './query-command';
import { trainCommand } from './train-command';

const root = mkdtempSync(join(tmpdir(), 'eb-use-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let runDir = '';

beforeAll(async () => {
  const { dir } = await trainCommand({
    settings: {
      divergence: 'icnn',
      protocol: 'closed-set',
      hidden: [32],
      embeddingDim: 8,
      icnnHidden: [16],
      epochs: 1,
      stepsPerEpoch: 5,
      batchSize: 30,
      maxTrainSamples: 300,
      maxEvalSamples: 200,
      seed: 4,
      outDir: join(root, 'runs'),
    },
    quiet: true,
  });
  runDir = dir;
}, 300_000);

describe('using a trained run', () => {
  it('embeds new samples to .npy and .json, identically', async () => {
    const digits = loadMnistDigits();
    const input = join(root, 'three.json');
    writeFileSync(
      input,
      JSON.stringify([0, 1, 2].map((i) => Array.from(digits.features.subarray(i * 784, (i + 1) * 784)))),
    );
    expect(await embedCommand(runDir, input, join(root, 'e.npy'), { quiet: true })).toMatch(
      /wrote 3 embeddings of dimension 8/,
    );
    await embedCommand(runDir, input, join(root, 'e.json'), { quiet: true });
    const npy = parseNpy(readFileSync(join(root, 'e.npy')), 'e.npy');
    const json = JSON.parse(readFileSync(join(root, 'e.json'), 'utf8')) as number[][];
    expect(npy.shape).toEqual([3, 8]);
    expect(Array.from(npy.data as Float32Array)).toEqual(json.flat().map((v) => Math.fround(v)));
    await expect(embedCommand(runDir, join(root, 'nope.json'), undefined, { quiet: true })).rejects.toThrow(
      /expected a readable file at .*nope.json/,
    );
    writeFileSync(join(root, 'short.json'), '[[1, 2, 3]]');
    await expect(embedCommand(runDir, join(root, 'short.json'), undefined, { quiet: true })).rejects.toThrow(
      /short\.json: expected 784 values in every row, got 3 at row 1 \(ragged rows\)/,
    );
  });

  it('answers nearest-neighbour queries under the learned divergence, in both slots', async () => {
    const digits = loadMnistDigits();
    const input = join(root, 'q.csv');
    writeFileSync(input, `${Array.from(digits.features.subarray(0, 784)).join(',')}\n`);
    for (const querySlot of ['left', 'right'] as const) {
      const answer = await queryCommand(runDir, input, { k: 5, querySlot, quiet: true });
      expect(answer.querySlot).toBe(querySlot);
      const ds = answer.results[0]!.neighbours.map((n) => n.divergence);
      expect(ds).toHaveLength(5);
      expect(ds).toEqual([...ds].sort((a, b) => a - b));
    }
  });

  it('re-evaluates the saved model with the same trained metrics as the run, class probabilities included', async () => {
    const { report } = await evalCommand(runDir, { quiet: true });
    expect(report.results.some((r) => r.model === 'trained')).toBe(true);
    const original = JSON.parse(readFileSync(join(runDir, 'results.json'), 'utf8')).results.filter(
      (r: { model: string }) => r.model === 'trained',
    );
    const again = JSON.parse(readFileSync(join(runDir, 'eval.json'), 'utf8')).results.filter(
      (r: { model: string }) => r.model === 'trained',
    );
    expect(again.map((r: { metrics: unknown }) => r.metrics)).toEqual(
      original.map((r: { metrics: unknown }) => r.metrics),
    );
    const left = again.find((r: { querySlot?: string }) => r.querySlot === 'left');
    for (const key of ['nll', 'ece', 'knnNll', 'knnEce']) expect(Number.isFinite(left.metrics[key]), key).toBe(true);
    expect(report.calibration?.reliability.length).toBeGreaterThan(0);
  });

  it('round-trips .npy', () => {
    const values = Float32Array.from([1.5, -2, 3.25, 0, 7, 8]);
    const decoded = parseNpy(encodeNpy(values, [2, 3]), 'x');
    expect(decoded.dtype).toBe('float32');
    expect(decoded.shape).toEqual([2, 3]);
    expect(Array.from(decoded.data as Float32Array)).toEqual(Array.from(values));
    // The header is padded so the data starts on a 64-byte boundary, as NumPy writes it.
    expect((encodeNpy(values, [2, 3]).length - values.byteLength) % 64).toBe(0);
  });
});
