import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const packages = resolve(here, '../..');

interface BuildFailure {
  errors: Array<{ text: string }>;
}

/**
 * Bundles `entry` for a browser with esbuild (tsup's own), the workspace packages from their sources so that their
 * whole import graph is checked too (search's main entry, eval, bregman-core, …), tfjs left out (browser-safe).
 * esbuild refuses Node built-ins (`node:fs`) on the browser platform: the bundle fails, with their names. (The
 * pattern of search's entry-point test.)
 */
async function bundleForBrowser(entry: string): Promise<{ ok: true; text: string } | { ok: false; errors: string[] }> {
  const require = createRequire(createRequire(import.meta.url).resolve('tsup'));
  const esbuild = require('esbuild') as {
    build(options: Record<string, unknown>): Promise<{ outputFiles: Array<{ text: string }> }>;
  };
  try {
    const result = await esbuild.build({
      entryPoints: [entry],
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'browser',
      external: ['@tensorflow/tfjs-core', '@tensorflow/tfjs-layers'],
      alias: {
        ...Object.fromEntries(
          ['bregman-core', 'convex-net', 'common', 'zero-copy', 'node-io', 'search', 'eval'].map((p) => [
            `@empirical-bregman/${p}`,
            resolve(packages, p, 'src/index.ts'),
          ]),
        ),
        '@empirical-bregman/search/ann': resolve(packages, 'search/src/ann/index.ts'),
      },
      logLevel: 'silent',
    });
    return { ok: true, text: result.outputFiles[0]!.text };
  } catch (error) {
    return { ok: false, errors: (error as BuildFailure).errors.map((e) => e.text) };
  }
}

describe('entry points', () => {
  it('the main entry bundles for a browser: no Node built-in and no usearch anywhere in its import graph', async () => {
    const main = await bundleForBrowser(resolve(here, 'index.ts'));
    expect(main.ok ? [] : main.errors).toEqual([]);
    // No import of them either (the bundle's own text mentions usearch in messages, so imports are what is looked for).
    expect(main.ok && /(from|import|require)\s*\(?\s*["'](usearch|worker_threads|node:)/.test(main.text)).toBe(false);
    expect(main.ok && main.text.includes('@tensorflow/tfjs-layers')).toBe(true); // the parse is real
  });

  it('the check bites: ./node does not bundle for a browser', async () => {
    const bundle = await bundleForBrowser(resolve(here, 'node/index.ts'));
    expect(bundle.ok).toBe(false);
    if (!bundle.ok) expect(bundle.errors.join('\n')).toMatch(/node:|usearch/);
  });
});
