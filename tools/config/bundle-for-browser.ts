import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const packages = resolve(dirname(fileURLToPath(import.meta.url)), '../../packages');

interface BuildFailure {
  errors: Array<{ text: string }>;
}

/**
 * Test helper: bundles `entry` for a browser with esbuild (tsup's own), every workspace package (and its `./node` and
 * `./ann` subpaths) from its sources so that the whole import graph is checked, tfjs left out (browser-safe). esbuild
 * refuses Node built-ins (`node:fs`, `worker_threads`) on the browser platform: the bundle then fails, naming them.
 */
export async function bundleForBrowser(
  entry: string,
): Promise<{ ok: true; text: string } | { ok: false; errors: string[] }> {
  const require = createRequire(createRequire(import.meta.url).resolve('tsup'));
  const esbuild = require('esbuild') as {
    build(options: Record<string, unknown>): Promise<{ outputFiles: Array<{ text: string }> }>;
  };
  const alias: Record<string, string> = {};
  for (const dir of readdirSync(packages)) {
    alias[`@empirical-bregman/${dir}`] = resolve(packages, dir, 'src/index.ts');
    for (const sub of ['node', 'ann'])
      if (existsSync(resolve(packages, dir, 'src', sub, 'index.ts')))
        alias[`@empirical-bregman/${dir}/${sub}`] = resolve(packages, dir, 'src', sub, 'index.ts');
  }
  try {
    const result = await esbuild.build({
      entryPoints: [entry],
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'browser',
      external: ['@tensorflow/tfjs-core', '@tensorflow/tfjs-layers'],
      alias,
      logLevel: 'silent',
    });
    return { ok: true, text: result.outputFiles[0]!.text };
  } catch (error) {
    return { ok: false, errors: (error as BuildFailure).errors.map((e) => e.text) };
  }
}
