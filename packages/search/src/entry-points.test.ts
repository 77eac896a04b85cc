import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bundleForBrowser } from '../../../tools/config/bundle-for-browser';

const here = dirname(fileURLToPath(import.meta.url));
const _packages = resolve(here, '../..');

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
