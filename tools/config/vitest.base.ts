import { readdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * Tests import sibling workspace packages from their sources, not from `dist`, so a change in one package is seen
 * by its dependents' tests without a rebuild. The packaging check (`pnpm pack:check`) separately proves the built
 * tarballs work.
 */
export function workspaceAliases(): { find: RegExp; replacement: string }[] {
  const aliases: { find: RegExp; replacement: string }[] = [];
  for (const dir of readdirSync(resolve(root, 'packages'))) {
    // Subpath entries (`@empirical-bregman/search/node`, `…/ann`) are `src/<subpath>/index.ts`; the main entry is
    // `src/index.ts`. Exact matches: a bare prefix alias would turn `…/model/node` into `…/src/index.ts/node`.
    aliases.push({
      find: new RegExp(`^@empirical-bregman/${dir}/([a-z-]+)$`),
      replacement: resolve(root, 'packages', dir, 'src/$1/index.ts'),
    });
    aliases.push({
      find: new RegExp(`^@empirical-bregman/${dir}$`),
      replacement: resolve(root, 'packages', dir, 'src/index.ts'),
    });
  }
  return aliases;
}

export interface PackageTestOptions {
  /** Initialise a tfjs backend through `runtime` before the tests (every package that uses tensors). */
  tensors?: boolean;
}

export function packageTests(options: PackageTestOptions = {}) {
  return defineConfig({
    resolve: { alias: workspaceAliases() },
    test: {
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      setupFiles: options.tensors ? [resolve(root, 'tools/config/vitest.tensor-setup.ts')] : [],
      testTimeout: 120_000,
      hookTimeout: 120_000,
      pool: 'forks',
      // Two cores: more than two forks only thrash.
      poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    },
  });
}
