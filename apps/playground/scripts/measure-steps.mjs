// Measures the digits mode's training speed in headless Chromium on each backend, on the production build:
// first step (kernel compilation included) and the median of the steps after the first five, batch 120.
// Usage: node scripts/measure-steps.mjs [steps=40]   (prints a Markdown table; Chromium from BREGMAN_CHROMIUM or
// /usr/bin/chromium). Headless Chromium here runs WebGL and WebGPU on SwiftShader (the CPU): not a GPU's speed.
import { readFileSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { build } from 'vite';

const root = resolve(import.meta.dirname, '..');
const steps = Number(process.argv[2] ?? 40);
const outDir = mkdtempSync(join(tmpdir(), 'playground-measure-'));
await build({ root, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
const types = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.wasm': 'application/wasm',
};
const server = createServer((request, response) => {
  const path = new URL(request.url, 'http://x').pathname.replace(/\/$/, '/index.html');
  const file = join(outDir, path);
  const headers = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };
  if (!file.startsWith(outDir) || !existsSync(file) || !statSync(file).isFile())
    return response.writeHead(404, headers).end();
  response.writeHead(200, { ...headers, 'Content-Type': types[extname(file)] ?? 'application/octet-stream' });
  response.end(readFileSync(file));
});
await new Promise((done) => server.listen(0, '127.0.0.1', done));
const origin = `http://127.0.0.1:${server.address().port}`;

const runs = [
  {
    name: 'WebGPU (SwiftShader)',
    args: ['--enable-unsafe-webgpu'],
    query: '?mode=Digits&backend=webgpu',
    steps: Math.min(steps, 15),
  },
  { name: 'WebGL (SwiftShader)', args: [], query: '?mode=Digits&backend=webgl', steps },
  { name: 'wasm (SIMD, patched kernels)', args: [], query: '?mode=Digits&backend=wasm', steps },
];
console.log('| backend | first step | median step after 5 | steps/s |');
console.log('|---|---|---|---|');
for (const run of runs) {
  const browser = await chromium.launch({
    executablePath: process.env.BREGMAN_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', ...run.args],
  });
  try {
    const page = await browser.newPage();
    await page.goto(origin + '/' + run.query);
    await page.waitForFunction(() => globalThis.playground?.digitsReady, null, { timeout: 120_000 });
    const backend = await page.getAttribute('#backend', 'data-backend');
    await page.click('button[data-role="train"]');
    await page.waitForFunction((n) => (globalThis.playground?.steps ?? 0) >= n, run.steps, { timeout: 600_000 });
    await page.click('button[data-role="train"]');
    const ms = await page.evaluate(() => globalThis.playground.stepMs);
    const later = ms.slice(5).sort((a, b) => a - b);
    const median = later[Math.floor(later.length / 2)];
    console.log(
      `| ${run.name} [${backend}] | ${ms[0].toFixed(0)} ms | ${median.toFixed(1)} ms | ${(1000 / median).toFixed(1)} |`,
    );
  } finally {
    await browser.close();
  }
}
server.close();
rmSync(outDir, { recursive: true, force: true });
