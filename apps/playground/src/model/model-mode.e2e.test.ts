import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { trainRun, validateRunConfig } from '@empirical-bregman/cli';
import { loadMnistDigits } from '@empirical-bregman/datasets/node';
import { loadModel } from '@empirical-bregman/model/node';
import { initBackend } from '@empirical-bregman/runtime';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toBytes } from '../digits/digits-file';
import type { PlaygroundProbe } from '../probe';
import { openChromium } from '../testing/open-chromium';
import { serveStatic } from '../testing/serve-static';

/**
 * Model mode end to end: a tiny run trained by the CLI (`trainRun`, what `bregman train` runs) on the mnist digits,
 * an index of 300 digits saved with its model as `bregman index` does (`loadModel` → `model.index` → `index.save`),
 * opened by the production build in headless Chromium on wasm: the top-5 of a query digit equal the Node API's.
 */
const here = dirname(fileURLToPath(import.meta.url));
const ARTIFACTS = resolve(here, '../../test-artifacts');
const QUERY = 4321;
let work = '';
let server: { origin: string; close(): Promise<void> };
let expected: { indices: number[]; divergences: number[] };

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'playground-model-'));
  const runDir = join(work, 'run');
  const backend = await initBackend({ quiet: true });
  const config = validateRunConfig({
    dataset: 'mnist-digits',
    protocol: 'class-disjoint',
    divergence: 'icnn',
    hidden: [64],
    embeddingDim: 16,
    icnnHidden: [32],
    batchSize: 30,
    epochs: 2,
    stepsPerEpoch: 5,
    patience: 0,
    maxTrainSamples: 600,
    maxEvalSamples: 200,
    seed: 5,
  });
  await trainRun(config, { dir: runDir, backend, progress: { step() {}, line() {} } });
  // The digits exactly as the page has them (digits.bin: bytes), as [0, 1] values.
  const data = loadMnistDigits({ maxPerClass: 500 });
  const values = Float32Array.from(toBytes(data.features), (v) => v / 255);
  const model = await loadModel(join(runDir, 'model'));
  const items = Int32Array.from({ length: 300 }, (_, i) => i * 16); // every 16th digit: all classes
  const itemRows = new Float32Array(items.length * 784);
  for (let r = 0; r < items.length; r++) itemRows.set(values.subarray(items[r]! * 784, (items[r]! + 1) * 784), r * 784);
  const index = await model.index(
    itemRows,
    Int32Array.from(items, (d) => data.labels[d]!),
  );
  const found = await index.search(values.subarray(QUERY * 784, (QUERY + 1) * 784), { k: 5 });
  expected = { indices: Array.from(found.indices), divergences: Array.from(found.divergences) };
  await index.save(join(work, 'index'));
  index.dispose();
  model.dispose();
  const outDir = join(work, 'dist');
  await build({ root: resolve(here, '../..'), logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  server = await serveStatic(outDir, { '/model-under-test/': join(work, 'index') });
  mkdirSync(ARTIFACTS, { recursive: true });
}, 240_000);

afterAll(async () => {
  await server?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('model mode (production build) in headless Chromium', () => {
  it('opens a CLI-trained model with its index and returns the same top-5 as the Node API', async () => {
    const { browser, page, problems } = await openChromium();
    try {
      await page.goto(`${server.origin}/?backend=wasm&mode=Model&model=/model-under-test/`);
      await page.waitForFunction(() => (globalThis as { playground?: PlaygroundProbe }).playground?.modelReady, null, {
        timeout: 60_000,
      });
      expect(await page.textContent('[data-role="summary"]')).toMatch(/index of 300 items/);
      await page.fill('input[data-role="query"]', String(QUERY));
      await page.click('button[data-role="search"]');
      await page.waitForFunction(() => (globalThis as { playground?: PlaygroundProbe }).playground?.modelSearch, null, {
        timeout: 60_000,
      });
      const search = (await page.evaluate(
        () => (globalThis as { playground?: PlaygroundProbe }).playground?.modelSearch,
      )) as { query: number; indices: number[]; divergences: number[] };
      expect(search.query).toBe(QUERY);
      expect(search.indices).toEqual(expected.indices);
      for (let i = 0; i < 5; i++) expect(search.divergences[i]).toBeCloseTo(expected.divergences[i]!, 4);
      await page.waitForTimeout(1200); // the debug panel (tf.memory()) refreshes every 0.5 s: show the model's tensors
      expect(
        (await page.evaluate(() => (globalThis as { playground?: PlaygroundProbe }).playground))?.numTensors,
      ).toBeGreaterThan(0);
      await page.screenshot({ path: resolve(ARTIFACTS, 'playground-model-wasm.png'), fullPage: true });
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
