import { defineConfig, type Options } from 'tsup';

/**
 * The one build every package shares: ESM + CJS + .d.ts from `src/index.ts` (plus any extra entries a package
 * needs, e.g. a worker script). Dependencies and peer dependencies stay external (tsup's default), so a package's
 * tarball holds only its own code.
 */
export function packageBuild(extra: Partial<Options> = {}) {
  return defineConfig({
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node20',
    // `import.meta.url` in the CJS output (worker scripts are located relative to the module).
    shims: true,
    ...extra,
  });
}
