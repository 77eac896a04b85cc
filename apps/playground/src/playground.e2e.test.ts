import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlaygroundProbe } from './probe';
import { openChromium } from './testing/open-chromium';
import { serveStatic } from './testing/serve-static';

/**
 * End-to-end on the production build (`vite build` into a temporary folder), served from 127.0.0.1 with
 * cross-origin isolation, in headless Chromium (Debian's, through playwright-core): each mode loads, the 2-D mode
 * trains and its loss falls, the backends are the ones runtime promises (WebGL without a WebGPU adapter, WebGPU with
 * `--enable-unsafe-webgpu`, wasm on demand), no console error and no failed request. Screenshots are kept in
 * apps/playground/test-artifacts/.
 */
const here = dirname(fileURLToPath(import.meta.url));
const ARTIFACTS = resolve(here, '../test-artifacts');
let outDir = '';
let server: { origin: string; close(): Promise<void> };

beforeAll(async () => {
  outDir = mkdtempSync(join(tmpdir(), 'playground-build-'));
  await build({ root: resolve(here, '..'), logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  server = await serveStatic(outDir);
  mkdirSync(ARTIFACTS, { recursive: true });
}, 240_000);

afterAll(async () => {
  await server?.close();
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

const probe = (page: Page) => page.evaluate(() => (globalThis as { playground?: PlaygroundProbe }).playground ?? {});

async function load(args: string[], query = '') {
  const session = await openChromium(args);
  await session.page.goto(`${server.origin}/${query}`);
  await session.page.waitForSelector('#backend[data-state="ready"], #backend[data-state="failed"]', {
    timeout: 60_000,
  });
  return session;
}

/** Trains the 2-D mode on a preset until `steps` steps are done, then stops; returns the losses. */
async function train2d(page: Page, steps: number): Promise<number[]> {
  await page.click('button[data-preset="moons"]');
  await page.click('button[data-role="train"]');
  await page.waitForFunction(
    (n) => ((globalThis as { playground?: { steps?: number } }).playground?.steps ?? 0) >= n,
    steps,
    {
      timeout: 120_000,
    },
  );
  await page.click('button[data-role="train"]');
  return (await probe(page)).losses ?? [];
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Switches to the 2-D mode and waits until the tensor count (refreshed every 0.5 s) holds still for 1.5 s. */
async function showSettled2d(page: Page): Promise<number> {
  await page.click('nav button[data-mode="2-D"]');
  let last = -1;
  for (let same = 0; same < 3; ) {
    await page.waitForTimeout(500);
    const count = (await probe(page)).numTensors ?? -1;
    same = count === last ? same + 1 : 0;
    last = count;
  }
  return last;
}

/** Opens the digits mode, trains `steps` steps, stops; returns the probe (losses, step times, MAP@R). */
async function trainDigits(page: Page, steps: number): Promise<PlaygroundProbe> {
  await page.click('nav button[data-mode="Digits"]');
  await page.waitForFunction(
    () => (globalThis as { playground?: { digitsReady?: boolean } }).playground?.digitsReady,
    null,
    {
      timeout: 60_000,
    },
  );
  await page.click('button[data-role="train"]');
  await page.waitForFunction(
    (n) => ((globalThis as { playground?: { steps?: number } }).playground?.steps ?? 0) >= n,
    steps,
    {
      timeout: 120_000,
    },
  );
  await page.click('button[data-role="train"]');
  return probe(page);
}

describe('playground (production build) in headless Chromium', () => {
  it('2-D mode on the default backend (WebGL here: no WebGPU adapter) trains 50 steps and the loss falls', async () => {
    const { browser, page, problems } = await load([]);
    try {
      expect(await page.getAttribute('#backend', 'data-backend')).toBe('webgl');
      expect(await page.textContent('#backend')).toMatch(/webgpu unavailable: navigator\.gpu/);
      const losses = await train2d(page, 50);
      expect(losses.length).toBeGreaterThanOrEqual(50);
      expect(losses.every(Number.isFinite)).toBe(true);
      expect(mean(losses.slice(45, 50))).toBeLessThan(0.7 * mean(losses.slice(0, 5)));
      // Centre the balls somewhere else by clicking the plot in centre mode: the page redraws without error.
      await page.check('input[name="tool"][value="centre"]');
      await page.click('canvas[data-role="plot"]', { position: { x: 300, y: 200 } });
      await page.waitForTimeout(300);
      await page.screenshot({ path: resolve(ARTIFACTS, 'playground-2d-webgl.png'), fullPage: true });
      // Leaving a mode stops its training and frees its tensors: a fresh 2-D mode holds as many tensors before the
      // digits mode trained as after it (and after the trained 2-D mode was left).
      await page.click('nav button[data-mode="Digits"]');
      const fresh2d = await showSettled2d(page);
      const digits = await trainDigits(page, 30);
      expect(digits.losses!.every(Number.isFinite)).toBe(true);
      expect(digits.mapAtR!.every((m) => m > 0 && m <= 1)).toBe(true);
      expect(await page.locator('[data-role="tiles"] canvas').count()).toBe(9);
      await page.screenshot({ path: resolve(ARTIFACTS, 'playground-digits-webgl.png'), fullPage: true });
      expect(await showSettled2d(page)).toBe(fresh2d);
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  it('with --enable-unsafe-webgpu trains on the WebGPU backend (SwiftShader adapter)', async () => {
    const { browser, page, problems } = await load(['--enable-unsafe-webgpu']);
    try {
      expect(await page.getAttribute('#backend', 'data-backend')).toBe('webgpu');
      // Few steps: SwiftShader compiles every WebGPU pipeline on the CPU (measured: 29 s for the first step, then
      // ~0.7 s a step), which says nothing about a real GPU.
      const losses = await train2d(page, 3);
      expect(losses.every(Number.isFinite)).toBe(true);
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  it('?backend=wasm trains on wasm with SIMD and the training kernels (cross-origin isolated)', async () => {
    const { browser, page, problems } = await load([], '?backend=wasm');
    try {
      expect(await page.getAttribute('#backend', 'data-backend')).toBe('wasm');
      // tfjs-wasm takes half the cores (here 2, so 1 thread); threads at all need the isolation headers.
      expect(await page.textContent('#backend')).toMatch(/SIMD; \d+ threads?; training kernels patched/);
      expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
      const losses = await train2d(page, 10);
      expect(losses.every(Number.isFinite)).toBe(true);
      const digits = await trainDigits(page, 10);
      expect(digits.losses!.slice(0, 10).every(Number.isFinite)).toBe(true);
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
