import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bundleForBrowser } from '../../../tools/config/bundle-for-browser';

const here = dirname(fileURLToPath(import.meta.url));
const _packages = resolve(here, '../..');

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
