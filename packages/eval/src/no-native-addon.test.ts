import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const outDir = resolve(here, '../node_modules/.cache/eval-import-test');

/** What a fresh Node process loaded while importing a module. */
interface ImportProbe {
  /** Names the module exports. */
  readonly exports: number;
  /** Every native addon (`.node` file) opened, through `process.dlopen` (how both `require` and ESM load them). */
  readonly addons: string[];
  /** Modules loaded from a `usearch` package (CommonJS cache; ESM modules of usearch load its addon anyway). */
  readonly usearch: string[];
  /** Node's worker_threads built-in, if it was loaded. */
  readonly workerThreads: string[];
}

/**
 * Imports `specifier` (ESM `import` or CJS `require`) in a new Node process started in `cwd`, and reports what it
 * loaded. `process.dlopen` is wrapped before the import, so no addon load goes unseen. Asynchronous: loading tfjs
 * in a fresh process takes seconds on a loaded machine (measured: 2–4 s per probe on 2 shared cores), and a
 * synchronous wait would block vitest's worker thread.
 */
async function probeImport(specifier: string, cwd: string, format: 'esm' | 'cjs'): Promise<ImportProbe> {
  const prologue = `
    const addons = [];
    const dlopen = process.dlopen;
    process.dlopen = function (module, filename, ...rest) { addons.push(filename); return dlopen.call(this, module, filename, ...rest); };`;
  const report = `
    const usearch = Object.keys(cache).filter((k) => k.includes('usearch'));
    const workerThreads = process.moduleLoadList.filter((n) => n.includes('worker_threads'));
    process.stdout.write(JSON.stringify({ exports: Object.keys(m).length, addons, usearch, workerThreads }));`;
  const script =
    format === 'esm'
      ? `import { createRequire } from 'node:module'; ${prologue}
         const m = await import(${JSON.stringify(specifier)}); const cache = createRequire(import.meta.url).cache; ${report}`
      : `${prologue} const m = require(${JSON.stringify(specifier)}); const cache = require.cache; ${report}`;
  const args = format === 'esm' ? ['--input-type=module', '-e', script] : ['-e', script];
  const { stdout } = await promisify(execFile)(process.execPath, args, { cwd, encoding: 'utf8' });
  return JSON.parse(stdout) as ImportProbe;
}

/**
 * eval's entry as it ships: its sources bundled the way tsup bundles them (esbuild), every package import left to
 * Node, so `@empirical-bregman/search` and the rest resolve to their built `dist` (tests run after `^build`).
 * Bundled here rather than read from eval's own `dist/`, which a test run does not rebuild.
 */
async function bundleEntry(): Promise<{ esm: string; cjs: string }> {
  const require = createRequire(createRequire(import.meta.url).resolve('tsup'));
  const esbuild = require('esbuild') as { build(options: Record<string, unknown>): Promise<unknown> };
  mkdirSync(outDir, { recursive: true });
  const out = { esm: resolve(outDir, 'index.mjs'), cjs: resolve(outDir, 'index.cjs') };
  for (const format of ['esm', 'cjs'] as const) {
    await esbuild.build({
      entryPoints: [resolve(here, 'index.ts')],
      outfile: out[format],
      bundle: true,
      format,
      platform: 'node',
      target: 'node20',
      packages: 'external',
      logLevel: 'silent',
    });
  }
  return out;
}

describe('importing @empirical-bregman/eval loads no native addon', () => {
  let entry: { esm: string; cjs: string };
  beforeAll(async () => {
    entry = await bundleEntry();
  });

  for (const format of ['esm', 'cjs'] as const) {
    it(`${format}: no .node file, nothing of usearch, no worker_threads`, async () => {
      const file = format === 'esm' ? pathToFileURL(entry.esm).href : entry.cjs;
      const probe = await probeImport(file, resolve(here, '..'), format);
      expect(probe.exports).toBeGreaterThan(10);
      expect(probe).toMatchObject({ addons: [], usearch: [], workerThreads: [] });
    });
  }

  it('the probe sees an addon when one loads: search/ann (usearch) from the search package', async () => {
    // The control that makes the tests above meaningful: the same probe on an entry that does load usearch.
    const searchDir = resolve(here, '../../search');
    for (const format of ['esm', 'cjs'] as const) {
      const probe = await probeImport('@empirical-bregman/search/ann', searchDir, format);
      expect(probe.addons.some((file) => file.endsWith('.node') && file.includes('usearch'))).toBe(true);
    }
  });
});
