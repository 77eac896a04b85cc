import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BackendInfo } from './init-backend';
import { trainingSmokeTest } from './training-smoke-test';

/**
 * End-to-end in headless Chromium (Debian's `chromium`, driven by playwright-core as the report test does): runtime's
 * main entry, bundled for the browser by esbuild, picks WebGPU → WebGL → wasm → cpu, smoke-testing each with one
 * training step, and says why it skipped the faster ones. Here Chromium renders WebGL with SwiftShader and, with
 * `--enable-unsafe-webgpu`, offers a SwiftShader WebGPU adapter: the backends are real, the speed is not a GPU's.
 */
const CHROMIUM = process.env.BREGMAN_CHROMIUM ?? '/usr/bin/chromium';
const here = dirname(fileURLToPath(import.meta.url));

// The page: initBackend with the default order; `?failOn=<backend>` makes the smoke test refuse that backend.
const PAGE_SOURCE = `
import * as tf from '@tensorflow/tfjs-core';
import { initBackend, trainingSmokeTest } from './index';
const failOn = new URLSearchParams(location.search).get('failOn');
const lines = [];
initBackend({
  wasmPaths: '/tfjs-wasm/',
  log: (line) => lines.push(line),
  smokeTest: async () => {
    if (tf.getBackend() === failOn) throw new Error('refused ' + failOn + ' on purpose');
    return trainingSmokeTest();
  },
}).then(
  (info) => { window.result = { info, lines }; },
  (error) => { window.result = { error: String(error) }; },
);
`;

interface PageResult {
  info?: BackendInfo;
  lines?: string[];
  error?: string;
}

let server: Server;
let origin = '';

beforeAll(async () => {
  const require = createRequire(createRequire(import.meta.url).resolve('tsup'));
  const esbuild = require('esbuild') as {
    build(options: Record<string, unknown>): Promise<{ outputFiles: Array<{ text: string }> }>;
  };
  const bundle = await esbuild.build({
    stdin: { contents: PAGE_SOURCE, resolveDir: here, loader: 'ts' },
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    logLevel: 'silent',
  });
  const script = bundle.outputFiles[0]!.text;
  const wasmDir = resolve(dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm')), '.');
  // Cross-origin isolation (COOP + COEP) lets wasm use threads, as a deployed app would; 127.0.0.1 is a secure
  // context, which WebGPU needs. The favicon is served: a 404 would be a console error.
  const isolation = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };
  server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    const wasmFile = path.startsWith('/tfjs-wasm/') ? resolve(wasmDir, path.slice('/tfjs-wasm/'.length)) : '';
    if (path === '/') {
      response.writeHead(200, { ...isolation, 'Content-Type': 'text/html' });
      response.end('<!doctype html><meta charset="utf-8"><script type="module" src="/page.js"></script>');
    } else if (path === '/page.js') {
      response.writeHead(200, { ...isolation, 'Content-Type': 'text/javascript' });
      response.end(script);
    } else if (path === '/favicon.ico') {
      response.writeHead(204, isolation);
      response.end();
    } else if (wasmFile.endsWith('.wasm') && existsSync(wasmFile)) {
      response.writeHead(200, { ...isolation, 'Content-Type': 'application/wasm' });
      response.end(readFileSync(wasmFile));
    } else {
      response.writeHead(404, isolation);
      response.end();
    }
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((done) => (server ? server.close(() => done()) : done())));

async function openPage(args: string[], query = ''): Promise<{ result: PageResult; errors: string[] }> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `init-backend-in-browser: expected Chromium at ${CHROMIUM}, got none. Install it with ` +
        '`apt-get update && apt-get install -y chromium` (Debian; `pnpm test` does it as root).',
    );
  }
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-quic', '--no-first-run', ...args],
  });
  try {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${origin}/${query}`);
    await page.waitForFunction(() => (globalThis as { result?: unknown }).result !== undefined, null, {
      timeout: 60_000,
    });
    const result = await page.evaluate(() => (globalThis as unknown as { result: PageResult }).result);
    return { result, errors };
  } finally {
    await browser.close();
  }
}

describe('initBackend in headless Chromium', () => {
  // The toy step has no random op: every backend must find the loss that cpu finds here in Node.
  let expectedLoss = 0;
  beforeAll(async () => {
    const initial = tf.getBackend();
    await tf.setBackend('cpu');
    expectedLoss = (await trainingSmokeTest()).loss;
    await tf.setBackend(initial);
  });

  it('without WebGPU falls back to WebGL, logging why, after one training step on it', async () => {
    const { result, errors } = await openPage([]);
    expect(result.error).toBeUndefined();
    const info = result.info!;
    expect(info).toMatchObject({ backend: 'webgl', platform: 'browser', source: 'default' });
    expect(info.attempts).toEqual([
      { backend: 'webgpu', error: expect.stringMatching(/navigator\.gpu/) },
      { backend: 'webgl' },
    ]);
    expect(info.smokeTest!.loss).toBeCloseTo(expectedLoss, 4);
    expect(result.lines).toEqual([
      expect.stringMatching(/^empirical-bregman: tfjs backend webgl \(.*webgpu unavailable/),
    ]);
    expect(errors).toEqual([]);
  });

  it('with --enable-unsafe-webgpu settles on WebGPU (SwiftShader adapter), the same loss', async () => {
    const { result, errors } = await openPage(['--enable-unsafe-webgpu']);
    expect(result.error).toBeUndefined();
    expect(result.info).toMatchObject({ backend: 'webgpu', attempts: [{ backend: 'webgpu' }] });
    expect(result.info!.smokeTest!.loss).toBeCloseTo(expectedLoss, 4);
    expect(errors).toEqual([]);
  });

  it('a backend that fails the smoke test is skipped: wasm with the training kernels, the reasons logged', async () => {
    const { result, errors } = await openPage([], '?failOn=webgl');
    expect(result.error).toBeUndefined();
    const info = result.info!;
    expect(info.backend).toBe('wasm');
    expect(info.simd).toBe(true);
    expect(info.patchedKernels).toEqual(expect.arrayContaining(['Conv2DBackpropFilter', 'UnsortedSegmentSum']));
    expect(info.attempts.map((a) => [a.backend, a.error])).toEqual([
      ['webgpu', expect.stringMatching(/navigator\.gpu/)],
      ['webgl', 'training smoke test failed: refused webgl on purpose'],
      ['wasm', undefined],
    ]);
    expect(info.smokeTest!.loss).toBeCloseTo(expectedLoss, 4);
    expect(result.lines![0]).toMatch(/webgl unavailable: training smoke test failed: refused webgl on purpose\)$/);
    expect(errors).toEqual([]);
  });
});
