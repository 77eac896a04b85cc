import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const packages = resolve(here, '../..');

interface BuildFailure {
  errors: Array<{ text: string }>;
}

/**
 * Bundles `entry` for a browser with esbuild (tsup's own), this package's workspace dependencies from their sources
 * so that their whole import graph is checked too, tfjs-core left out (it is browser-safe). esbuild refuses Node
 * built-ins (`node:fs`, `worker_threads`) on the browser platform: the bundle fails, with their names.
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
      external: ['@tensorflow/tfjs-core'],
      alias: Object.fromEntries(
        ['bregman-core', 'convex-net', 'common', 'zero-copy', 'node-io'].map((p) => [
          `@empirical-bregman/${p}`,
          resolve(packages, p, 'src/index.ts'),
        ]),
      ),
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
    expect(main.ok && /usearch|worker_threads/.test(main.text)).toBe(false);
  });

  it('the check bites: ./node and ./ann do not bundle for a browser', async () => {
    for (const entry of ['node/index.ts', 'ann/index.ts']) {
      const bundle = await bundleForBrowser(resolve(here, entry));
      expect(bundle.ok).toBe(false);
      if (!bundle.ok) expect(bundle.errors.join('\n')).toMatch(/node:|usearch/);
    }
  });
});

/** Every `.ts` source under `dir` but tests, relative to `here`. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [relative(here, path)] : [];
  });
}

describe('import graph of the sources', () => {
  it('has no cycle, type-only imports and re-exports included', () => {
    const files = sources(here);
    const edges = new Map<string, string[]>();
    for (const file of files) {
      const text = readFileSync(join(here, file), 'utf8');
      const targets = [...text.matchAll(/^(?:import|export)\b[^;]*?from\s+'(\.{1,2}\/[^']+)'/gms)].map((m) =>
        relative(here, resolve(here, dirname(file), `${m[1]}.ts`)),
      );
      edges.set(file, targets);
    }
    // Depth-first search with colours: a grey node reached again closes a cycle.
    const colour = new Map<string, 'grey' | 'black'>();
    const cycles: string[] = [];
    const visit = (file: string, path: string[]): void => {
      if (colour.get(file) === 'black') return;
      if (colour.get(file) === 'grey') {
        cycles.push([...path.slice(path.indexOf(file)), file].join(' → '));
        return;
      }
      colour.set(file, 'grey');
      for (const next of edges.get(file) ?? []) visit(next, [...path, file]);
      colour.set(file, 'black');
    };
    for (const file of files) visit(file, []);
    expect(edges.get('node/knn-pool.ts')).toContain('node/search-on-pool.ts'); // the parser sees imports
    expect(cycles).toEqual([]);
  });
});
